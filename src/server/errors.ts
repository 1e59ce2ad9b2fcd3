// OpenAI-style errors: every failure is answered with {error: {message, type, param, code}} and a status code a
// client library maps to its error classes (400 BadRequest, 401 Authentication, 404 NotFound, 413, 422
// UnprocessableEntity, 500 InternalServer, 503 overloaded).

export type ErrorStatus = 400 | 401 | 404 | 405 | 413 | 422 | 500 | 503;

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: string = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400: the request is malformed (syntax, types, ranges, missing fields) or exceeds the model's context. */
export const badRequest = (message: string, param: string | null = null, code: string | null = null) => new ApiError(400, message, param, code);

/** 422: a well-formed request this model cannot serve (text outside the vocabulary, no chat template, …). */
export const unprocessable = (message: string, param: string | null = null, code: string | null = null) => new ApiError(422, message, param, code);
