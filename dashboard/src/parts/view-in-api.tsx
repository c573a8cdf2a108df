/** Every object's "View in API": its /v3 page (the API UI when opened in a browser). */
export function ViewInApi({ path, label }: { path: string; label: string }) {
  return (
    <a href={`/v3/${path}`} target="_blank" rel="noreferrer" aria-label={`View ${label} in API`}>
      View in API
    </a>
  );
}
