// The nodes module: the data-plane fleet as GraphQL sees it.
import { defineModule } from '../module.ts';
import { NodeResolver } from './node.resolver.ts';

export const nodesModule = defineModule({ name: 'nodes', resolvers: [NodeResolver] });
