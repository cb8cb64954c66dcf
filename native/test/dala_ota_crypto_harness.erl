%% @doc A small test runner for the dala_ota_crypto suites, so they run on any OTP without the
%% eunit application (the OTP 29 root has none). It follows EUnit's conventions closely enough
%% that the suites read like EUnit suites: every exported `*_test/0' is a test, every exported
%% `*_test_/0' returns test objects, which are funs, `{Line, Fun}', `{Description, Test}',
%% `{timeout, Seconds, Test}' or lists of these. Each test runs in its own process with a
%% timeout (5 seconds unless given); the summary line uses EUnit's words.
-module(dala_ota_crypto_harness).

-export([run/1]).

-define(DEFAULT_TIMEOUT_MS, 5000).

%% @doc Runs every test of Module; `ok' if all passed, `error' otherwise.
-spec run(module()) -> ok | error.
run(Module) ->
    Tests = collect(Module),
    Failures = [Failure || Test <- Tests, Failure <- [run_one(Test)], Failure =/= ok],
    lists:foreach(fun report/1, Failures),
    case {length(Tests), length(Failures)} of
        {0, _} ->
            io:format("  No tests found in ~s.~n", [Module]),
            error;
        {N, 0} ->
            io:format("  All ~b tests passed.~n", [N]),
            ok;
        {N, F} ->
            io:format("  Failed: ~b.  Skipped: 0.  Passed: ~b.~n", [F, N - F]),
            error
    end.

collect(Module) ->
    Exports = lists:sort(Module:module_info(exports)),
    lists:append([tests_of(Module, F) || {F, 0} <- Exports]).

tests_of(Module, F) ->
    Name = atom_to_list(F),
    Desc = atom_to_list(Module) ++ ":" ++ Name,
    case lists:reverse(Name) of
        "tset_" ++ _ ->
            [{Desc, fun Module:F/0, ?DEFAULT_TIMEOUT_MS}];
        "_tset_" ++ _ ->
            try Module:F() of
                Objects -> expand(Objects, Desc, ?DEFAULT_TIMEOUT_MS)
            catch
                Class:Reason:Stack ->
                    [{Desc ++ " (generator)", fun() -> erlang:raise(Class, Reason, Stack) end,
                      ?DEFAULT_TIMEOUT_MS}]
            end;
        _ ->
            []
    end.

expand(Fun, Desc, Timeout) when is_function(Fun, 0) ->
    [{Desc, Fun, Timeout}];
expand({Line, Test}, Desc, Timeout) when is_integer(Line) ->
    expand(Test, Desc ++ ":" ++ integer_to_list(Line), Timeout);
expand({timeout, Seconds, Test}, Desc, _) ->
    expand(Test, Desc, round(Seconds * 1000));
expand({Title, Test}, Desc, Timeout) when is_list(Title) ->
    expand(Test, Desc ++ " (" ++ Title ++ ")", Timeout);
expand(Tests, Desc, Timeout) when is_list(Tests) ->
    lists:append([expand(T, Desc, Timeout) || T <- Tests]);
expand(Other, Desc, _) ->
    [{Desc, fun() -> erlang:error({bad_test_object, Other}) end, ?DEFAULT_TIMEOUT_MS}].

run_one({Desc, Fun, Timeout}) ->
    {Pid, Ref} = spawn_monitor(fun() ->
                                       try Fun() of
                                           _ -> exit(passed)
                                       catch
                                           Class:Reason:Stack -> exit({failed, Class, Reason, Stack})
                                       end
                               end),
    receive
        {'DOWN', Ref, process, Pid, passed} -> ok;
        {'DOWN', Ref, process, Pid, {failed, C, R, S}} -> {Desc, {C, R, S}};
        {'DOWN', Ref, process, Pid, Other} -> {Desc, {exit, Other, []}}
    after Timeout ->
            exit(Pid, kill),
            receive {'DOWN', Ref, process, Pid, _} -> ok end,
            {Desc, {timeout, Timeout, []}}
    end.

report({Desc, {Class, Reason, Stack}}) ->
    io:format("~s: *failed*~n  ~p:~P~n  ~P~n", [Desc, Class, Reason, 40, Stack, 20]).
