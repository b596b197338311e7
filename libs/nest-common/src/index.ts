// Shared NestJS plumbing for the Agora processes (master, agent): configuration loading, the HTTP
// edge (validation pipe, exception filter) and process lifecycle. Pure logic never lives here.
export { ConfigError, FromEnv, loadConfig } from './config/load-config';
export type { ConfigClass, Env } from './config/load-config';
export { IsHost, IsPort, IsPostgresUrl } from './config/validators';
export { HttpEdgeModule } from './http/http-edge.module';
export { answerFor, TextExceptionFilter } from './http/text-exception.filter';
export { createValidationPipe } from './http/validation';
export { ListenError, serve, urlOf } from './http/serve';
export type { ServeOptions } from './http/serve';
export { stopOnSignals } from './lifecycle/stop-on-signals';
export { agoraVersion } from './version';
export { acceptsJson, bodyText, readJsonCall, type JsonCallApi, type RawBodyRequest } from './http/json-call';
export type { RawRequest, RawRoute } from './http/raw-routes';
export type { RequestGate } from './http/request-gate';
