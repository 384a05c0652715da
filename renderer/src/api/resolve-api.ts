import { createHttpApi } from '../../../contract/http-client';
import { useConnectionStore } from '../stores/use-connection-store';
import { chooseApi, type ApiChoice } from './choose-api';

export const resolveApi = (win: Window = window): ApiChoice =>
  chooseApi(win, (baseUrl, token) =>
    createHttpApi(baseUrl, token, { onConnection: (status) => useConnectionStore.getState().report(status) }),
  );
