// A subscription's root selection may not be conditional. graphql-js 16 runs a subscription whose only root field is
// skipped by indexing an empty field map (a TypeError, not a GraphQL error), and its SingleFieldSubscriptionsRule
// throws while validating `@skip(if: $var)` there. The GraphQL specification (2025 edition, and graphql-js 17)
// forbids @skip and @include in that selection set at validation time: so do these rules.
import {
  type ASTVisitor,
  type DirectiveNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

const conditional = new Set(['skip', 'include']);

/** The first @skip or @include on a selection of `operation`'s root selection set (fragments spread in it too). */
function conditionalRootDirective(
  context: ValidationContext,
  operation: OperationDefinitionNode,
): DirectiveNode | undefined {
  if (operation.operation !== 'subscription') return undefined;
  // Each fragment is looked at once: cycles are reported by graphql's own NoFragmentCyclesRule.
  const seen = new Set<string>();
  const find = (set: SelectionSetNode): DirectiveNode | undefined => {
    for (const selection of set.selections) {
      const directive = selection.directives?.find((d) => conditional.has(d.name.value));
      if (directive) return directive;
      let inner: DirectiveNode | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) inner = find(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD && !seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = context.getFragment(selection.name.value);
        if (fragment) inner = find(fragment.selectionSet);
      }
      if (inner) return inner;
    }
    return undefined;
  };
  return find(operation.selectionSet);
}

/** Refuses @skip and @include in a subscription's root selection set. */
export const SubscriptionRootUnconditionalRule: ValidationRule = (context): ASTVisitor => ({
  OperationDefinition(node) {
    const directive = conditionalRootDirective(context, node);
    if (directive) {
      const name = node.name ? `Subscription "${node.name.value}"` : 'Anonymous Subscription';
      context.reportError(
        new GraphQLError(`${name} must not use @skip or @include in its root selection set.`, { nodes: directive }),
      );
    }
    return false;
  },
});

/**
 * graphql's SingleFieldSubscriptionsRule, leaving alone the subscriptions the rule above refuses: on those it
 * evaluates the directives with no variables, and throws.
 */
const SingleFieldSubscriptionsSafeRule: ValidationRule = (context): ASTVisitor => {
  const inner = SingleFieldSubscriptionsRule(context) as {
    OperationDefinition: (node: OperationDefinitionNode) => void;
  };
  return {
    OperationDefinition(node) {
      if (!conditionalRootDirective(context, node)) inner.OperationDefinition(node);
      return false;
    },
  };
};

/** graphql's `specifiedRules` with SingleFieldSubscriptionsRule made safe: to run with the rule above. */
export const specifiedRulesSafe: readonly ValidationRule[] = specifiedRules.map((rule) =>
  rule === SingleFieldSubscriptionsRule ? SingleFieldSubscriptionsSafeRule : rule,
);
