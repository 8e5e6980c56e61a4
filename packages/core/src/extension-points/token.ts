import type { DependencyContainer } from 'tsyringe';

declare const registered: unique symbol;

/**
 * A tsyringe token that carries the type registered under it, as VS Code's `createDecorator<T>`
 * does: `resolve(container, SandboxBackend)` is a `SandboxBackend` with no type argument to get
 * wrong. At run time it is a plain symbol (the property exists only for the type checker), so
 * tsyringe's own API takes it too.
 */
export type Token<T> = symbol & { readonly [registered]?: T };

/**
 * The token of an extension point, `Symbol.for('vsb.NAME')`: registry-wide, so a plugin that
 * brings its own copy of @vsb/core still registers under the tokens vsb resolves.
 */
export function createToken<T>(name: string): Token<T> {
  return Symbol.for(`vsb.${name}`) as Token<T>;
}

/** The registration of a single token (the last one made wins). */
export function resolve<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

/** Every registration of a multi token, in registration order; none is an empty list, where tsyringe throws. */
export function resolveAll<T>(container: DependencyContainer, token: Token<T>): T[] {
  if (!container.isRegistered(token, true)) return [];
  return container.resolveAll<T>(token);
}

/** Registers a factory under a token, which the container calls each time the token is resolved. */
export function register<T>(container: DependencyContainer, token: Token<T>, make: (container: DependencyContainer) => T): void {
  container.register(token, { useFactory: make });
}

/** Registers one value under a token (a test's fake). */
export function registerInstance<T>(container: DependencyContainer, token: Token<T>, value: T): void {
  container.registerInstance(token, value);
}
