// What the types must refuse: a misspelt option and a reason that does not exist.
import { DeviceGuest, type AnonymousUsersErrorReason } from "keycloak-anonymous-users";

const guest = new DeviceGuest({ url: "http://localhost:8080", realm: "demo", clientID: "demo-app" });
const reason: AnonymousUsersErrorReason = "rate-limited";
await guest.signIn({ creat: false });
