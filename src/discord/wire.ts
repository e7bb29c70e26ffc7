/** A file sent with a message (Discord's multipart upload: payload_json plus files[n]). */
export interface OutgoingFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/**
 * The bytes and Content-Type of a request or response body: plain JSON, or, with files,
 * multipart/form-data the way Discord takes uploads (`payload_json` and `files[n]`; the JSON's
 * `attachments` entries name them by index).
 */
export async function encodeBody(json: unknown, files: readonly OutgoingFile[] = []): Promise<{ body: Buffer; contentType: string }> {
  if (files.length === 0) return { body: Buffer.from(JSON.stringify(json)), contentType: 'application/json' };
  const form = new FormData();
  form.append('payload_json', new Blob([JSON.stringify(json)], { type: 'application/json' }));
  files.forEach((f, i) => form.append(`files[${i}]`, new Blob([f.data], { type: f.contentType }), f.name));
  // Response serialises the form with a boundary of its own, which its Content-Type names
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}
