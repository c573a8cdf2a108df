/**
 * A body already encoded as JSON, with the way to make it again for the API UI page
 * (a browser's answer embeds the object, not the bytes).
 */
export class EncodedDocument {
  constructor(
    readonly bytes: Buffer,
    readonly value: () => unknown,
  ) {}
}

/**
 * The documents that depend only on the address they are asked at — the API root, the
 * schemas (all of them, in a scope, or one), the OpenAPI document — encoded once per
 * address (`key`: the base URL and the path), made by `make` the first time. Rancher's CLI, its Terraform provider and its UI read the schemas whenever they
 * start (176 KB, built and serialised in ≈ 2 ms); a repeat is a lookup.
 *
 * Bounded: the base URL comes from the request (Host, X-Forwarded-*), so a client could
 * ask under any number of names. When full, the map starts again empty — one rebuild per
 * document, never growth.
 */
export function fixedDocuments(capacity = 16): (key: string, make: () => unknown) => EncodedDocument {
  const encoded = new Map<string, Buffer>();
  return (key, make) => {
    let bytes = encoded.get(key);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(make()));
      if (encoded.size >= capacity) encoded.clear();
      encoded.set(key, bytes);
    }
    return new EncodedDocument(bytes, make);
  };
}
