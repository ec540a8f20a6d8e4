export async function get(path) {
  return fetch(path, { cache: 'no-store', credentials: 'same-origin' });
}
