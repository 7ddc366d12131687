// A TypeScript app that installed the packed library: it signs a device guest in, calls userinfo with the bound
// token, and reads a typed error. Compiled with tsc --strict against the package's own types.
import { AnonymousUsersError, DeviceGuest, memoryKeyStore, type AnonymousUsersErrorReason, type DeviceSession } from "keycloak-anonymous-users";

declare const process: { argv: string[] };
const [url, realm, clientId] = process.argv.slice(2);

const guest = new DeviceGuest({ url, realm, clientId, keyStore: memoryKeyStore() });
const session: DeviceSession = await guest.signIn();
const userinfo = await session.fetch(`${guest.realmUrl}/protocol/openid-connect/userinfo`);

let reason: AnonymousUsersErrorReason | null = null;
try {
  await new DeviceGuest({ url, realm: "no-such-realm", clientId, keyStore: memoryKeyStore() }).signIn();
} catch (error) {
  if (error instanceof AnonymousUsersError) reason = error.reason;
}
console.log(JSON.stringify({ sub: session.sub, tokenType: session.tokenType, userinfo: userinfo.status, reason }));
