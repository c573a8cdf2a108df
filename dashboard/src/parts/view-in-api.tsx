/** An object's /v3 page (the API UI when opened in a browser). */
export const apiHref = (path: string) => `/v3/${path}`;

/** Every object's "View in API": its /v3 page. */
export function ViewInApi({ path, label }: { path: string; label: string }) {
  return (
    <a href={apiHref(path)} target="_blank" rel="noreferrer" aria-label={`View ${label} in API`}>
      View in API
    </a>
  );
}
