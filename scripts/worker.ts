/**
 * `npm run worker`: a mail worker process on its own (server/mail-worker.ts),
 * for deployments that run the web processes with MAIL_WORKER=off, or more
 * workers beside `npm start`'s. Safe beside any other worker: each message is
 * claimed before it is sent.
 */
import { runMailWorker } from "../server/mail-worker";

await runMailWorker();
