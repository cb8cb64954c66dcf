-module(plain_module).
-export([hello/0, add/2]).

hello() -> world.

add(A, B) -> A + B.
