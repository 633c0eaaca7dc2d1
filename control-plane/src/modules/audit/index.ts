// The audit module: the audit log's queries (events are written by each service, audit-record.ts).
import { defineModule } from '../module.ts';
import { AuditResolver } from './audit.resolver.ts';

export const auditModule = defineModule({ name: 'audit', resolvers: [AuditResolver] });
