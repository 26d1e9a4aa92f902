/** The id in a route parameter (/organize/:id, /updates/:updateId), or null when it is not a positive whole number. */
export function routeId(param: string | undefined): number | null {
  const id = Number(param);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
