/** The API token form's limits, for the form (a browser module) and its zod schema alike. */
export const API_TOKEN_NAME_MAX = 60;
