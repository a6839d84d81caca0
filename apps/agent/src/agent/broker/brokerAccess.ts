/**
 * Access control for the embedded aedes broker, the same idea as docker/mosquitto/acl: no anonymous clients; an
 * instrument's credential publishes and subscribes under `lapis/v1/<its id>/` only; the dashboard's subscribes to
 * `lapis/v1/…` and publishes only requests to agents (`lapis/v1/<id>/cmd/reprocess`, sent by managers from the
 * dashboard, and `lapis/v1/<id>/cmd/spectrum`, a viewer asking for a spectrum at full resolution). Passwords are compared in constant time.
 *
 * A publish outside the client's subtree (its Last Will included) is dropped and, as aedes does for any refused
 * publish, the connection closed: MQTT 3.1.1 has no negative PUBACK, and closing is one of the two answers the
 * standard allows [MQTT-3.3.5-2] (mosquitto takes the other, a PUBACK for a message it drops). A refused
 * subscription gets 0x80 in the SUBACK. Client ids `lapis-agent-<id>` and `lapis-dashboard…` belong to their
 * credential, so one client cannot push another off the broker (which would also publish the other's Will).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { MQTT_TOPIC_ROOT, parseMqttTopic } from '@lapis/contracts';
import type { Logger } from '../logger';
import { DASHBOARD_USER } from './brokerCredentials';
import type { BrokerCredentials } from './brokerCredentials';

type Identity = { kind: 'dashboard' } | { kind: 'instrument'; id: string };

export type BrokerAccess = Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

/** Equal-length digests, so the comparison takes the same time whatever the secrets and their lengths. */
function sameSecret(given: Buffer, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function refused(returnCode: 2 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Why `identity` may not use `clientId`, or undefined when it may. */
function clientIdProblem(identity: Identity, clientId: string): string | undefined {
  if (clientId.startsWith(DASHBOARD_USER) && identity.kind !== 'dashboard') return "the dashboard's client id";
  if (
    clientId.startsWith('lapis-agent-') &&
    !(identity.kind === 'instrument' && clientId === `lapis-agent-${identity.id}`)
  )
    return "another agent's client id";
  return undefined;
}

function describe(identity: Identity | undefined): string {
  return identity === undefined ? 'unauthenticated' : identity.kind === 'dashboard' ? DASHBOARD_USER : identity.id;
}

/** The aedes handlers enforcing `credentials`; pass them to `Aedes.createBroker`. */
export function brokerAccess(credentials: BrokerCredentials, logger?: Logger): BrokerAccess {
  const users = new Map<string, { password: string; identity: Identity }>();
  users.set(credentials.dashboard.username, {
    password: credentials.dashboard.password,
    identity: { kind: 'dashboard' },
  });
  for (const [id, c] of Object.entries(credentials.instruments)) {
    users.set(c.username, { password: c.password, identity: { kind: 'instrument', id } });
  }
  const identities = new WeakMap<Client, Identity>();
  const dummy = 'x'.repeat(32);

  return {
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        logger?.warn({ client: client.id }, 'broker: anonymous connection refused');
        return done(refused(5, 'not authorized'), false);
      }
      const user = users.get(username);
      // Compare against something even for an unknown user: the answer takes as long either way.
      const ok = sameSecret(password, user?.password ?? dummy) && user !== undefined;
      if (!ok) {
        logger?.warn({ client: client.id, username }, 'broker: wrong user name or password');
        return done(refused(4, 'bad user name or password'), false);
      }
      const problem = clientIdProblem(user.identity, client.id);
      if (problem) {
        logger?.warn({ client: client.id, username }, `broker: connection refused (${problem})`);
        return done(refused(2, 'identifier rejected'), false);
      }
      identities.set(client, user.identity);
      done(null, true);
    },

    authorizePublish(client, packet, done) {
      const identity = client ? identities.get(client) : undefined;
      const own = identity?.kind === 'instrument' ? `${MQTT_TOPIC_ROOT}/${identity.id}/` : undefined;
      if (own !== undefined && packet.topic.startsWith(own)) return done(null);
      // the topics the dashboard publishes to: lapis/v1/<instrument>/cmd/reprocess and …/cmd/spectrum
      const channel = parseMqttTopic(packet.topic)?.channel;
      if (identity?.kind === 'dashboard' && (channel === 'cmd/reprocess' || channel === 'cmd/spectrum'))
        return done(null);
      logger?.warn(
        { client: client?.id, user: describe(identity), topic: packet.topic },
        'broker: publish outside the client’s own topics dropped (connection closed)',
      );
      done(new Error(`${describe(identity)} may not publish to ${packet.topic}`));
    },

    authorizeSubscribe(client, sub, done) {
      const identity = identities.get(client);
      const root = `${MQTT_TOPIC_ROOT}/`;
      const allowed =
        identity?.kind === 'dashboard'
          ? sub.topic.startsWith(root)
          : identity?.kind === 'instrument'
            ? sub.topic === `${root}${identity.id}` || sub.topic.startsWith(`${root}${identity.id}/`)
            : false;
      if (allowed) return done(null, sub);
      logger?.warn({ client: client.id, user: describe(identity), topic: sub.topic }, 'broker: subscription refused');
      done(null, null);
    },
  };
}
