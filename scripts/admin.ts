/**
 * `npm run admin -- add someone@example.org`: makes an address an admin (the
 * first admin has to come from somewhere). `remove` takes the role away;
 * `list` shows who has a role. Every change is audited.
 */
import { loadConfig } from "../app/config.server";
import { audit } from "../app/models/audit.server";
import { findOrCreateUser, grantRole, listStaff, revokeRole } from "../app/models/user.server";
import { createDb } from "../db/connection";
import { migrateToLatest } from "../db/migrate";
import { z } from "zod";

const [command, email] = process.argv.slice(2);
const usage = "usage: npm run admin -- add|remove EMAIL   or   npm run admin -- list";
if (command !== "list" && !(command === "add" || command === "remove")) {
  console.error(usage);
  process.exit(2);
}
if (command !== "list" && !z.email().safeParse(email ?? "").success) {
  console.error(`${usage}\n"${email ?? ""}" is not an email address.`);
  process.exit(2);
}

const config = loadConfig();
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
await migrateToLatest(db);
if (command === "list") {
  for (const s of await listStaff(db)) console.log(`${s.email}\t${s.role}`);
} else {
  await db.transaction().execute(async (trx) => {
    const user = await findOrCreateUser(trx, email);
    if (command === "add") await grantRole(trx, user.id, "admin", null);
    else await revokeRole(trx, user.id, "admin");
    await audit(trx, {
      actorId: null,
      action: command === "add" ? "role.grant" : "role.revoke",
      subjectUserId: user.id,
      details: { role: "admin", via: "cli" },
    });
  });
  console.log(`${command === "add" ? "Made" : "Removed"} ${email} ${command === "add" ? "an admin" : "as admin"}.`);
}
await db.destroy();
