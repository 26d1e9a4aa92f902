/**
 * An SMTP server that accepts every message at once and keeps none, for the
 * benchmark. Run as a child process with PORT set; listens on 127.0.0.1 only.
 * With ARRIVALS_FILE set it appends a line per message: the time it was
 * accepted (ms since 1970), its Message-ID and its recipients, tab-separated
 * (bench/arrivals.ts reads them), so the benchmark can time each email from
 * the sign POST's answer and count copies of one message.
 */
import fs from "node:fs";
import { SMTPServer } from "smtp-server";

const port = Number(process.env.PORT);
if (!port) throw new Error("smtp sink: PORT is required");
const arrivals = process.env.ARRIVALS_FILE ? fs.createWriteStream(process.env.ARRIVALS_FILE, { flags: "a" }) : null;

/** The headers end at the first empty line; only they are kept, and only until then. */
const HEADER_END = "\r\n\r\n";

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData: (stream, session, callback) => {
    let head = "";
    let headDone = arrivals === null;
    stream.on("data", (chunk: Buffer) => {
      if (headDone) return;
      head += chunk.toString("latin1");
      if (head.includes(HEADER_END)) headDone = true;
    });
    stream.on("end", () => {
      received += 1;
      if (arrivals) {
        const headers = head.slice(0, Math.max(0, head.indexOf(HEADER_END)));
        const messageId = /^message-id:\s*(<[^>\r\n]+>)/im.exec(headers)?.[1] ?? "";
        const to = session.envelope.rcptTo.map((r) => r.address).join(",");
        arrivals.write(`${Date.now()}\t${messageId}\t${to}\n`);
      }
      callback();
    });
  },
});
// A client killed mid-conversation (the crash run) resets its connections: not a reason to stop.
server.on("error", (err) => console.error(`smtp sink: ${err.message}`));
server.listen(port, "127.0.0.1", () => console.log(`smtp sink listening on 127.0.0.1:${port}`));

const stop = () => {
  console.log(`smtp sink: ${received} messages received`);
  server.close(() => {
    if (arrivals) arrivals.end(() => process.exit(0));
    else process.exit(0);
  });
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
