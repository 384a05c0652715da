import { createHttpApi } from '../../../preload/http-client';
import { chooseApi, type ApiChoice } from './choose-api';

export const resolveApi = (win: Window = window): ApiChoice => chooseApi(win, createHttpApi);
