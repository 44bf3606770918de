"""The ways a breaker is used: ``call``, ``call_async``, ``@breaker`` on a
function or coroutine function, ``with`` and ``async with``. Each admits the
call, runs it and records its outcome through the breaker's state machine
(breaker.py); fallbacks and the async timeout live here too."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
from typing import Any, Awaitable, Callable, Optional, Tuple, TypeVar

from .errors import BreakerOpenError, BreakerTimeoutError

_log = logging.getLogger("breaker_panel")

T = TypeVar("T")


class Call:
    """One admitted call: what its outcome may steer."""

    __slots__ = ("permit", "generation", "start", "timeout_enforced")

    def __init__(self, permit: int, generation: int, start: float) -> None:
        self.permit = permit
        self.generation = generation
        self.start = start
        self.timeout_enforced = False


# The calls entered with `with breaker:` / `async with breaker:` and not yet
# exited. A context variable, so each thread and each asyncio task sees only
# its own (a breaker is shared by all of them).
_ACTIVE_CALLS: contextvars.ContextVar[Tuple[Tuple[Any, Call], ...]] = contextvars.ContextVar(
    "breaker_panel_active_calls", default=()
)


class CallForms:
    """Mixed into CircuitBreaker: relies on its ``_begin``, ``_complete_*``,
    ``_abandon``, ``_fallback_used``, ``_options`` and ``name``."""

    # -- calling ---------------------------------------------------------------

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs ``fn(*args, **kwargs)`` under the breaker. Raises BreakerOpenError
        when the call is short-circuited, BreakerTimeoutError when it returned
        later than ``timeout``, else as ``fn`` does — unless a fallback answers."""
        try:
            call = self._begin()
        except BreakerOpenError as error:
            return self._fallback_or_raise(error, "rejected")
        try:
            result = fn(*args, **kwargs)
        except Exception as error:
            reason = self._complete_error(call, error)
            if reason == "timeout":
                return self._fallback_or_raise(self._timeout_error(error), reason)
            if reason is None or self._options.fallback is None:
                raise
            return self._use_fallback(error, reason)
        except BaseException:
            self._abandon(call)
            raise
        if inspect.iscoroutine(result):
            # A coroutine function passed to the synchronous form: nothing ran yet, so nothing is recorded.
            self._abandon(call)
            result.close()
            raise TypeError(f'breaker "{self.name}": call() got a coroutine; use await breaker.call_async(fn) or @breaker on the coroutine function')
        late = self._complete_success(call)
        if late is not None:
            return self._fallback_or_raise(late, "timeout")
        return result

    async def call_async(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Awaits ``fn(*args, **kwargs)`` under the breaker; with ``timeout`` the
        call is cancelled when it elapses and BreakerTimeoutError is raised."""
        try:
            call = self._begin()
        except BreakerOpenError as error:
            return await self._fallback_or_raise_async(error, "rejected")
        try:
            if self._options.timeout is None:
                result = await fn(*args, **kwargs)
            else:
                result = await self._await_with_timeout(call, fn(*args, **kwargs))
        except BreakerTimeoutError as error:
            if error.breaker == self.name and call.timeout_enforced:
                self._complete_timeout(call)
                return await self._fallback_or_raise_async(error, "timeout")
            return await self._on_async_error(call, error)
        except Exception as error:
            return await self._on_async_error(call, error)
        except BaseException:  # cancelled by the host: not an outcome of the dependency
            self._abandon(call)
            raise
        late = self._complete_success(call)
        if late is not None:
            return await self._fallback_or_raise_async(late, "timeout")
        return result

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``@breaker`` on a function or coroutine function runs every call of it under this breaker."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def protected_async(*args: Any, **kwargs: Any) -> Any:
                return await self.call_async(fn, *args, **kwargs)

            return protected_async

        @functools.wraps(fn)
        def protected(*args: Any, **kwargs: Any) -> Any:
            return self.call(fn, *args, **kwargs)

        return protected

    def __enter__(self) -> "CircuitBreaker":
        """Admits the block as one call or raises BreakerOpenError (no fallback in this form)."""
        call = self._begin()
        _ACTIVE_CALLS.set(_ACTIVE_CALLS.get() + ((self, call),))
        return self

    def __exit__(self, exc_type: Any, error: Optional[BaseException], traceback: Any) -> bool:
        call = self._pop_active_call()
        if call is None:
            return False
        if error is None:
            late = self._complete_success(call)
            if late is not None:
                raise late
        elif isinstance(error, Exception):
            if self._complete_error(call, error) == "timeout" and not isinstance(error, BreakerTimeoutError):
                raise self._timeout_error(error) from error
        else:
            self._abandon(call)
        return False

    async def __aenter__(self) -> "CircuitBreaker":
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, error: Optional[BaseException], traceback: Any) -> bool:
        return self.__exit__(exc_type, error, traceback)

    # -- internals -------------------------------------------------------------

    def _pop_active_call(self) -> Optional[Call]:
        active = _ACTIVE_CALLS.get()
        for index in range(len(active) - 1, -1, -1):
            if active[index][0] is self:
                _ACTIVE_CALLS.set(active[:index] + active[index + 1:])
                return active[index][1]
        # Entered in another thread or task than it exited in: the outcome can not be attributed.
        _log.warning('breaker "%s": exit without a matching enter in this thread or task; outcome not recorded', self.name)
        return None

    async def _await_with_timeout(self, call: Call, awaitable: Awaitable[T]) -> T:
        task = asyncio.ensure_future(awaitable)
        try:
            done, _ = await asyncio.wait({task}, timeout=self._options.timeout / 1000)
        except BaseException:
            task.cancel()  # the caller was cancelled: so is its call
            raise
        if done:
            call.timeout_enforced = True  # measured by the event loop, not by a late return
            return task.result()
        task.cancel()
        # The cancelled call may still end with an error nobody awaits; read it so asyncio does not log it.
        task.add_done_callback(lambda finished: finished.cancelled() or finished.exception())
        call.timeout_enforced = True
        raise BreakerTimeoutError(self.name, self._options.timeout)

    async def _on_async_error(self, call: Call, error: Exception) -> Any:
        reason = self._complete_error(call, error)
        if reason == "timeout":
            return await self._fallback_or_raise_async(self._timeout_error(error), reason)
        if reason is None or self._options.fallback is None:
            raise error
        return await self._use_fallback_async(error, reason)

    def _timeout_error(self, cause: Optional[BaseException]) -> BreakerTimeoutError:
        error = BreakerTimeoutError(self.name, self._options.timeout)
        error.__cause__ = cause
        return error

    def _fallback_or_raise(self, error: BaseException, reason: str) -> Any:
        if self._options.fallback is None:
            raise error
        return self._use_fallback(error, reason)

    async def _fallback_or_raise_async(self, error: BaseException, reason: str) -> Any:
        if self._options.fallback is None:
            raise error
        return await self._use_fallback_async(error, reason)

    def _use_fallback(self, error: BaseException, reason: str) -> Any:
        value = self._options.fallback(error, reason)
        self._fallback_used(error, reason)
        return value

    async def _use_fallback_async(self, error: BaseException, reason: str) -> Any:
        value = self._options.fallback(error, reason)
        if inspect.isawaitable(value):
            value = await value
        self._fallback_used(error, reason)
        return value
