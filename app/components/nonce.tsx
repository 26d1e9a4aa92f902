import { createContext, useContext } from "react";

/** The CSP nonce for this page's scripts and stylesheet (the browser takes it from the stylesheet: app/entry.client.tsx). */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
