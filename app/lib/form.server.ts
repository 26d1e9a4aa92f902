/** Form bodies larger than this are refused with a 413 before they are parsed. */
export const MAX_FORM_BYTES = 16 * 1024;

/**
 * Reads a form body, refusing it once it passes the limit, whether or not the
 * client declared its length. Returns the parsed FormData.
 */
export async function readForm(request: Request, limit = MAX_FORM_BYTES): Promise<FormData> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      // Stop reading but do not cancel the stream: cancelling destroys the socket
      // before the 413 can be sent. Node closes the connection after the reply.
      if (size > limit) throw tooLarge();
      chunks.push(value);
    }
  }
  const body = Buffer.concat(chunks);
  const contentType = request.headers.get("content-type") ?? "application/x-www-form-urlencoded";
  try {
    return await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new Response("The form could not be read.", { status: 400 });
  }
}

function tooLarge(): Response {
  return new Response("The form was larger than this site accepts.", { status: 413, headers: { Connection: "close" } });
}
