// Maps unique-constraint violations (lost races past the service's own checks) to CONFLICT errors.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError, conflict } from '../errors.ts';

const constraints: Record<string, { field: string; message: string }> = {
  organizations_slug_key: { field: 'input.slug', message: 'An organization with this slug already exists' },
  teams_org_name_unique: { field: 'input.name', message: 'A team with this name already exists in the organization' },
  users_org_email_unique: {
    field: 'input.email',
    message: 'A user with this email already exists in the organization',
  },
  provider_credentials_name_key: {
    field: 'input.name',
    message: 'A provider credential with this name already exists',
  },
  product_modules_key_unique: { field: 'input.key', message: 'A module with this key already exists' },
  org_modules_org_module_unique: {
    field: 'input.moduleId',
    message: 'This module is already enabled for the organization',
  },
  virtual_keys_org_alias_unique: {
    field: 'input.alias',
    message: 'Another key of this organization has this alias',
  },
  models_name_key: { field: 'input.name', message: 'A model with this name already exists' },
  admin_users_email_unique: { field: 'email', message: 'An admin with this email already exists' },
};

export function asConflict(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof UniqueConstraintViolationException)) return error;
  const known = constraints[(error as { constraint?: string }).constraint ?? ''];
  return known ? conflict(known.field, known.message) : error;
}
