import { createContext, useContext } from 'react';
import type { TinyArmsApi } from '../../../contract/api';

export const ApiContext = createContext<TinyArmsApi | null>(null);

export function useApi(): TinyArmsApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>');
  return api;
}
