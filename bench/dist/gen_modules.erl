%% Writes N Erlang modules of realistic size (a few dozen functions with branches and literals,
%% about 20 KB each once compiled) for the delivery benchmark. Deterministic: the same N gives
%% the same sources.
%%
%%   erl -noshell -pa . -run gen_modules main Dir Prefix N Functions
-module(gen_modules).
-export([main/1]).

main([Dir, Prefix, N, Functions]) ->
    rand:seed(exsss, {20, 26, 1121}),
    F = list_to_integer(Functions),
    [ok = file:write_file(filename:join(Dir, Prefix ++ "_" ++ integer_to_list(I) ++ ".erl"),
                          source(Prefix ++ "_" ++ integer_to_list(I), F))
     || I <- lists:seq(0, list_to_integer(N) - 1)],
    halt(0).

source(Name, Functions) ->
    Exports = lists:join(", ", [["f", integer_to_list(I), "/2"] || I <- lists:seq(0, Functions - 1)]),
    ["-module(", Name, ").\n-export([", Exports, "]).\n" | [function(I) || I <- lists:seq(0, Functions - 1)]].

function(I) ->
    N = integer_to_list(I),
    ["f", N, "(X, Y) when is_integer(X) ->\n",
     "    case X rem 4 of\n",
     "        0 -> {ok, X * ", integer_to_list(rand:uniform(1000)), " + Y, \"", text(120), "\"};\n",
     "        1 -> lists:map(fun(E) -> E + ", integer_to_list(rand:uniform(1000)), " end, [X, Y]);\n",
     "        2 -> #{key => X, other => Y, tag => '", text(16), "'};\n",
     "        _ -> erlang:phash2({X, Y, ", integer_to_list(rand:uniform(1 bsl 30)), "})\n",
     "    end;\n",
     "f", N, "(X, Y) -> {error, {badarg, X, Y, <<\"", text(60), "\">>}}.\n"].

text(Length) ->
    Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    [lists:nth(rand:uniform(length(Alphabet)), Alphabet) || _ <- lists:seq(1, Length)].
