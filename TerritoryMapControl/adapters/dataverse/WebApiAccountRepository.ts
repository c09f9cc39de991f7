import type { AccountRepository } from "./AccountRepository";
export class WebApiAccountRepository implements AccountRepository {
  public readonly kind = "webapi";
  public constructor(private readonly webApi: ComponentFramework.WebApi) {}
}
