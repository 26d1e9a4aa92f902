/* The limits the update form shows, without zod: the browser bundle imports this file. */
/** Limits on an update's fields, shared by the form (maxLength) and the server. */
export const UPDATE_TITLE_MAX = 120;
export const UPDATE_BODY_MAX = 20_000;
