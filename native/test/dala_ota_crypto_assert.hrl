%% Assertion macros for the dala_ota_crypto tests, shaped like EUnit's so the suites read the same,
%% but with no dependency on the eunit application: Debian's sid root that runs the OTP 29 tests
%% does not install it. Each macro runs in its own fun so its temporary variables never clash
%% with the test's. Failures raise error({Kind, Details}); dala_ota_crypto_harness reports them.

-define(assert(Expr),
        ((fun() ->
                  case (Expr) of
                      true -> ok;
                      X__V -> erlang:error({assert, [{module, ?MODULE}, {line, ?LINE},
                                                     {expression, (??Expr)}, {value, X__V}]})
                  end
          end)())).

-define(assertEqual(Expect, Expr),
        ((fun() ->
                  X__E = (Expect),
                  case (Expr) of
                      X__E -> ok;
                      X__V -> erlang:error({assertEqual, [{module, ?MODULE}, {line, ?LINE},
                                                          {expression, (??Expr)},
                                                          {expected, X__E}, {value, X__V}]})
                  end
          end)())).

-define(assertNotEqual(Unexpected, Expr),
        ((fun() ->
                  X__U = (Unexpected),
                  case (Expr) of
                      X__U -> erlang:error({assertNotEqual, [{module, ?MODULE}, {line, ?LINE},
                                                             {expression, (??Expr)}, {value, X__U}]});
                      _ -> ok
                  end
          end)())).

-define(assertMatch(Pattern, Expr),
        ((fun() ->
                  case (Expr) of
                      Pattern -> ok;
                      X__V -> erlang:error({assertMatch, [{module, ?MODULE}, {line, ?LINE},
                                                          {expression, (??Expr)},
                                                          {pattern, (??Pattern)}, {value, X__V}]})
                  end
          end)())).

%% Test objects: a fun tagged with its line, for generators (the *_test_() functions).
-define(_test(Expr), {?LINE, fun() -> (Expr) end}).
-define(_assert(Expr), ?_test(?assert(Expr))).
-define(_assertEqual(Expect, Expr), ?_test(?assertEqual(Expect, Expr))).
-define(_assertNotEqual(Unexpected, Expr), ?_test(?assertNotEqual(Unexpected, Expr))).
-define(_assertMatch(Pattern, Expr), ?_test(?assertMatch(Pattern, Expr))).
