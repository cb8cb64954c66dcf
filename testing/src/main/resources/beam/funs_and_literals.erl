%% Funs give the module a FunT chunk (whose old-uniq field beam_lib:md5 ignores) and literals
%% a LitT chunk.
-module(funs_and_literals).
-export([adders/1, table/0, map_over/1]).

adders(N) -> [fun(X) -> X + I end || I <- lists:seq(1, N)].

table() -> #{name => <<"literal">>, list => [1, 2.5, {tuple, "string"}], big => 1 bsl 100}.

map_over(L) -> lists:map(fun lists:reverse/1, L).
