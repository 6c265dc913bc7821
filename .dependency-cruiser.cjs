// The one-way data flow of docs/ARCHITECTURE.md, enforced: no cycles anywhere,
// and lower layers never import upward or out to a transport.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make start-up order and layering fragile.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'core/domain holds rules only: no I/O, no store, no transport.',
      from: { path: '^core/domain/' },
      to: { path: '^(core/(store|http|realtime|bus|services|plugins|server|main)|adapters|jobs|plugins|widget)/?' },
    },
    {
      name: 'domain-no-io-modules',
      severity: 'error',
      from: { path: '^core/domain/' },
      comment: 'Pure libraries only: zod for shapes, fractional-indexing for ordering keys.',
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'], pathNot: 'node_modules/(zod|fractional-indexing)/' },
    },
    {
      name: 'store-imports-no-transport',
      severity: 'error',
      comment: 'The Store sits under services; it never reaches up to transports, jobs or plugins.',
      from: { path: '^core/store/' },
      to: { path: '^(core/(http|realtime|bus|services|plugins|server|main)|adapters|jobs|plugins|widget)/?' },
    },
    {
      name: 'services-import-no-transport',
      severity: 'error',
      comment: 'Services take an actor and input; they know nothing of HTTP, sockets or chat platforms.',
      from: { path: '^core/services/' },
      to: { path: '^(core/(http|realtime|server|main)|adapters|jobs|widget)/' },
    },
    {
      name: 'jobs-use-services-not-transports',
      severity: 'error',
      comment: 'Jobs are outbound: they call services and the store, never HTTP or socket code. worker.ts is a composition root, like core/main.ts.',
      from: { path: '^jobs/', pathNot: '^jobs/worker\\.ts$' },
      to: { path: '^(core/(http|realtime|server|main)|adapters|widget)/' },
    },
    {
      name: 'adapters-use-services-not-transports',
      severity: 'error',
      comment: 'A chat adapter is a transport of its own: it calls services, never the HTTP or socket layers.',
      from: { path: '^adapters/' },
      to: { path: '^(core/(http|realtime|server|main)|widget)/' },
    },
    {
      name: 'widget-imports-only-core-types',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: '^(core|adapters|jobs|plugins)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-code-imports-no-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: ['test/support/ferretdb', '\\.cache'] },
  },
};
