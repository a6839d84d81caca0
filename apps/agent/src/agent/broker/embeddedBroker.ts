/**
 * Embedded MQTT broker (aedes, MQTT 3.1.1) for a fresh machine: with no broker configured, the agent starts this
 * one on localhost so that one command works. It keeps retained messages in memory only; a lab that relies on
 * retained status across broker restarts runs mosquitto instead.
 *
 * Without `credentials` it is open to any local client (the single agent's quick start). With them (what `lapis
 * stack` passes) only those credentials connect, each within its own topics: see `brokerAccess`.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from '../logger';
import { brokerAccess } from './brokerAccess';
import type { BrokerCredentials } from './brokerCredentials';

export interface EmbeddedBroker {
  host: string;
  port: number;
  url: string;
  /** The aedes instance (tests hook `authorizePublish` to hold PUBACKs). */
  aedes: Aedes;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** Default 127.0.0.1: the embedded broker is for this machine unless said otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  logger?: Logger;
  /** Accept only these clients, each within its own topics; absent: anonymous and unrestricted. */
  credentials?: BrokerCredentials;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker(
    options.credentials ? brokerAccess(options.credentials, options.logger) : undefined,
  );
  const server: Server = createServer(aedes.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    aedes.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot start the embedded MQTT broker on ${host}:${options.port}` +
        (code === 'EADDRINUSE'
          ? ' (port in use: pass --broker-port N, or --mqtt URL to use the broker already running there)'
          : ''),
      { cause: e },
    );
  }
  const port = (server.address() as AddressInfo).port;
  options.logger?.info(
    { host, port, access: options.credentials ? 'credentials' : 'anonymous' },
    'embedded MQTT broker (aedes, 3.1.1) listening',
  );
  return {
    host,
    port,
    url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    aedes,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // Clients still connected keep the server open; aedes.close ended them already.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
