import { sha256 } from '../util/ids';
import { throwIfAborted } from './abort';
import { outputRule } from './output-rules';
import type { GenerateRequest, GenerateResult, TextModel } from './types';

export type Responder = (request: GenerateRequest) => string;

/** Same request (system, prompt, seed, temperature) → same answer; varies with the seed when sampling. */
const hashResponder: Responder = (request) =>
  `answer ${sha256(JSON.stringify([request.system ?? '', request.prompt, request.temperature ?? 0, request.seed ?? 0])).slice(0, 12)}`;

const countTokens = (text: string): number => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length);

/** A TextModel stand-in for unit tests of the GA and the A/B: no model, instant, reproducible. */
export class DeterministicTextModel implements TextModel {
  readonly id: string;
  readonly calls: GenerateRequest[] = [];
  private readonly respond: Responder;

  constructor(respond: Responder = hashResponder, id = 'deterministic-v1') {
    this.respond = respond;
    this.id = id;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    throwIfAborted(request.signal);
    this.calls.push(request);
    const rule = outputRule(request.stop);
    const raw = this.respond(request);
    const words = raw.split(/(\s+)/);
    const limit = request.maxTokens ?? rule.defaultMaxTokens;
    const clipped = countTokens(raw) > limit ? words.slice(0, limit * 2 - 1).join('') : raw;
    request.onText?.(clipped);
    return {
      text: rule.clean(clipped),
      promptTokens: countTokens(`${request.system ?? ''} ${request.prompt}`),
      generatedTokens: countTokens(clipped),
      stopReason: clipped === raw ? 'eos' : 'maxTokens',
      ms: 0,
      ...((request.temperature ?? 0) > 0 ? { seed: request.seed ?? 0 } : {}),
    };
  }

  async generateBatch(requests: readonly GenerateRequest[], options: { signal?: AbortSignal } = {}): Promise<GenerateResult[]> {
    throwIfAborted(options.signal);
    return Promise.all(requests.map((request) => this.generate(request)));
  }
}
