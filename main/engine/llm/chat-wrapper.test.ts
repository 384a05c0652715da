import { describe, expect, it } from 'vitest';
import { chatWrapperNameForTemplate } from './chat-wrapper';

// A plain ChatML template, and one shaped like SmolLM2's (a default system turn when none is given).
// Written here by hand: no SmolLM2 GGUF is available on the test machines.
const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
const SMOLLM2_STYLE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
  "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}" +
  "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

describe('chat wrapper resolution from GGUF metadata', () => {
  it('maps a ChatML chat template to ChatMLChatWrapper', () => {
    expect(chatWrapperNameForTemplate(CHATML)).toBe('ChatMLChatWrapper');
    expect(chatWrapperNameForTemplate(SMOLLM2_STYLE)).toBe('ChatMLChatWrapper');
  });

  it('does not pick ChatML when the model has no template', () => {
    expect(chatWrapperNameForTemplate(undefined)).not.toBe('ChatMLChatWrapper');
  });
});
