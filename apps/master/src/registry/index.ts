// The registry's public surface: the module, the service, its records and errors. Entities,
// migrations and the data source stay inside this folder.
export { RegistryModule } from './registry.module';
export { RegistryService } from './registry.service';
export { AgentAdmissions } from './agent-admissions';
export * from './registry.records';
export * from './registry.errors';
