import { createContext, useContext } from 'react';

// The CSP nonce of this response, for <Scripts>, <ScrollRestoration> and friends.
const NonceContext = createContext<string>('');
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
