// A request a service refuses (a heartbeat, a renter's signed request): the HTTP status to answer with
// and a message saying why. Nothing is recorded for a refused request.
export type RefusedStatus = 400 | 401 | 403 | 409;

export class RequestRefused extends Error {
  override name = "RequestRefused";
  constructor(
    readonly status: RefusedStatus,
    message: string,
  ) {
    super(message);
  }
}
