/**
 * An SMTP server that accepts every message and keeps none, for
 * `BENCH_NODE_ENV=production npm run bench` (production requires SMTP_URL).
 * Run as a child process with PORT set; listens on 127.0.0.1 only.
 */
import { SMTPServer } from "smtp-server";

const port = Number(process.env.PORT);
if (!port) throw new Error("smtp sink: PORT is required");

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData: (stream, _session, callback) => {
    stream.resume();
    stream.on("end", () => {
      received += 1;
      callback();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`smtp sink listening on 127.0.0.1:${port}`));

const stop = () => {
  console.log(`smtp sink: ${received} messages received`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
