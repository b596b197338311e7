import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AgoraBus, type BusTransport, InProcessTransport, NatsTransport } from '@agora/bus';
import { MasterConfig } from '../config/master.config';

/** A transport handed in by the process that starts the master (`agora local` shares one). */
export const BUS_TRANSPORT = Symbol('BUS_TRANSPORT');

/** Transports this module opened itself; one handed in belongs to the caller, who closes it. */
const owned = new WeakSet<AgoraBus>();

@Injectable()
class BusShutdown implements OnApplicationShutdown {
  constructor(private readonly bus: AgoraBus) {}
  async onApplicationShutdown(): Promise<void> {
    if (owned.has(this.bus)) await this.bus.close().catch(() => undefined);
  }
}

/**
 * The master's end of the bus (DESIGN §3.4): NATS at NATS_URL, or the transport the caller gave
 * (in-process for `agora local`), or, with neither, a bus of its own that no agent can reach.
 */
@Global()
@Module({
  providers: [
    {
      provide: AgoraBus,
      inject: [MasterConfig, { token: BUS_TRANSPORT, optional: true }],
      useFactory: async (config: MasterConfig, given?: BusTransport) => {
        const logger = new Logger('bus');
        let transport = given;
        if (transport === undefined && config.natsUrl !== undefined) {
          transport = await NatsTransport.connect({ url: config.natsUrl, name: 'agora-master', namespace: config.busNamespace });
          logger.log(`connected to NATS at ${config.natsUrl}`);
        }
        if (transport === undefined) {
          logger.warn('NATS_URL is not set: only agents in this process can reach this master');
          transport = new InProcessTransport();
        }
        const bus = new AgoraBus(transport, (subject, error) => logger.warn(`dropped a message on ${subject}: ${error.message}`));
        if (transport !== given) owned.add(bus);
        return bus;
      },
    },
    BusShutdown,
  ],
  exports: [AgoraBus],
})
export class BusModule {}
