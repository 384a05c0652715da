import { resolveChatWrapper, type ChatWrapper, type LlamaModel } from 'node-llama-cpp';

export const chatWrapperName = (wrapper: ChatWrapper): string => wrapper.constructor.name;

/** The wrapper node-llama-cpp derives from the GGUF (its Jinja chat template, else name/tokenizer hints). */
export const pickChatWrapper = (model: LlamaModel): ChatWrapper => resolveChatWrapper(model);

/**
 * Which wrapper a GGUF whose metadata carries `template` would get, without a model file.
 * The neutral file name keeps node-llama-cpp's name-based guessing out of it.
 */
export function chatWrapperNameForTemplate(template: string | undefined, architecture = 'llama'): string {
  const wrapper = resolveChatWrapper({
    // Only the fields resolveChatWrapper reads; a real GgufFileInfo has many more.
    fileInfo: { metadata: { general: { architecture }, tokenizer: { chat_template: template } } } as never,
    filename: 'model.gguf',
    warningLogs: false,
  });
  return wrapper ? chatWrapperName(wrapper) : 'none';
}
