%% The host side of the distribution benchmarks (tools/bench-dist). It checks in as many
%% devices as asked, each with its own X25519 key, derives each session's cookie as an agent
%% does, and holds idle distribution connections open through a hand-written initiator
%% handshake, so that one BEAM can be ten thousand devices.
-module(dist_bench).
-export([checkins/1, hold/1]).

-define(ETF, "application/x-erlang-binary").

%% checkins [Url, ChannelKey, Platform, OtpRelease, Fingerprint, Count, Workers, OutFile, Prefix]
%% writes "DeviceNode ServerNode Cookie" per session, then halts.
checkins([Url, ChannelKey, Platform, Otp, Fingerprint, Count, Workers, OutFile, Prefix]) ->
    {ok, _} = application:ensure_all_started(inets),
    ok = httpc:set_options([{max_sessions, 64}, {max_keep_alive_length, 1000}, {keep_alive_timeout, 30000}]),
    N = list_to_integer(Count),
    W = list_to_integer(Workers),
    Parent = self(),
    Started = erlang:monotonic_time(millisecond),
    Pids = [element(1, spawn_monitor(fun() ->
                Mine = [I || I <- lists:seq(1, N), I rem W =:= K],
                Parent ! {done, self(), [checkin(Url, ChannelKey, Platform, Otp, Fingerprint, Prefix, I) || I <- Mine]}
            end)) || K <- lists:seq(0, W - 1)],
    Lines = lists:append([receive
                              {done, P, L} -> L;
                              {'DOWN', _, process, P, Reason} ->
                                  io:format(standard_error, "check-in failed: ~p~n", [Reason]),
                                  halt(1)
                          end || P <- Pids]),
    ok = file:write_file(OutFile, [[D, " ", S, " ", C, "\n"] || {D, S, C} <- Lines]),
    io:format("checkins ~b in ~b ms~n", [length(Lines), erlang:monotonic_time(millisecond) - Started]),
    halt(0).

checkin(Url, ChannelKey, Platform, Otp, Fingerprint, Prefix, I) ->
    {DevicePublic, DeviceSecret} = crypto:generate_key(ecdh, x25519),
    InstallId = iolist_to_binary(io_lib:format("bench-~s-~7..0b", [Prefix, I])),
    Request = term_to_binary(#{channel_key => list_to_binary(ChannelKey), install_id => InstallId,
                               platform => list_to_binary(Platform), base_fingerprint => list_to_binary(Fingerprint),
                               otp_release => list_to_binary(Otp), current_sequence => 0,
                               agent_version => <<"0.1.0">>, session_key => DevicePublic}),
    {ok, {{_, 200, _}, _, Body}} =
        httpc:request(post, {Url ++ "/device/v1/checkin", [], ?ETF, Request}, [{timeout, 30000}],
                      [{body_format, binary}]),
    %% A real agent verifies the signature chain first; the benchmark trusts its own server.
    {dala_ota_signed, 1, checkin_response, Payload, _, _} = binary_to_term(Body),
    #{update := #{session := Session}} = binary_to_term(Payload),
    #{id := Id, device_node := DeviceNode, server_node := ServerNode, server_key := ServerKey,
      expires_at := ExpiresAt} = Session,
    Shared = crypto:compute_key(ecdh, ServerKey, DeviceSecret, x25519),
    Transcript = term_to_binary({<<"dala-ota/session/v1">>, InstallId, DevicePublic, ServerKey, Id,
                                 DeviceNode, ServerNode, ExpiresAt}),
    Info = <<"dala-ota/v1/dist-cookie", 0, (crypto:hash(sha256, Transcript))/binary>>,
    Prk = crypto:mac(hmac, sha256, Id, Shared),
    Cookie = string:lowercase(binary:encode_hex(crypto:mac(hmac, sha256, Prk, <<Info/binary, 1>>))),
    {DeviceNode, ServerNode, Cookie}.

%% hold [EpmdPort, SessionsFile, Parallel, StopFile]: connects every session, keeps the
%% connections open (ticking) until StopFile exists, reports, and halts.
hold([EpmdPort, SessionsFile, Parallel, StopFile]) ->
    {ok, Bin} = file:read_file(SessionsFile),
    Sessions = [list_to_tuple(binary:split(L, <<" ">>, [global]))
                || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>],
    [{_, ServerNode, _} | _] = Sessions,
    [Alive, Host] = binary:split(ServerNode, <<"@">>),
    DistPort = port_please(binary_to_list(Host), list_to_integer(EpmdPort), Alive),
    Parent = self(),
    Started = erlang:monotonic_time(millisecond),
    Results = pmap(fun({Device, Server, Cookie}) ->
                       Pid = spawn(fun() -> connection(Parent, binary_to_list(Host), DistPort, Device, Server, Cookie) end),
                       receive {Pid, R} -> R end
                   end, Sessions, list_to_integer(Parallel)),
    Ok = length([ok || ok <- Results]),
    io:format("connected ~b of ~b in ~b ms~n", [Ok, length(Sessions), erlang:monotonic_time(millisecond) - Started]),
    wait_for(StopFile),
    halt(0).

port_please(Host, EpmdPort, Alive) ->
    {ok, S} = gen_tcp:connect(Host, EpmdPort, [binary, {active, false}, {packet, 0}]),
    ok = gen_tcp:send(S, <<(1 + byte_size(Alive)):16, 122, Alive/binary>>),
    {ok, <<119, 0, Port:16, _/binary>>} = gen_tcp:recv(S, 0, 5000),
    gen_tcp:close(S),
    Port.

connection(Parent, Host, Port, Device, Server, Cookie) ->
    case catch handshake(Host, Port, Device, Server, binary_to_list(Cookie)) of
        {ok, S} ->
            Parent ! {self(), ok},
            ok = inet:setopts(S, [{packet, 4}, {active, once}]),
            timer:send_interval(15000, tick),
            idle(S);
        Other ->
            Parent ! {self(), {failed, Other}}
    end.

idle(S) ->
    receive
        {tcp, S, _} -> ok = inet:setopts(S, [{active, once}]), idle(S);
        tick -> ok = gen_tcp:send(S, <<>>), idle(S);
        {tcp_closed, S} -> closed
    end.

%% The initiator's side of the version-6 handshake, as kernel's dist_util does it.
handshake(Host, Port, Device, Server, Cookie) ->
    {ok, S} = gen_tcp:connect(Host, Port, [binary, {active, false}, {packet, 2}, {nodelay, true}], 10000),
    %% Exactly the mandatory flags of OTP 25-29: no FRAGMENTS, so the server's offer comes in
    %% one pass-through frame, which this idle device reads and ignores.
    Flags = 16#4 bor 16#10 bor 16#80 bor 16#100 bor 16#200 bor 16#400 bor 16#800 bor 16#10000 bor 16#20000
        bor 16#40000 bor 16#1000000 bor 16#2000000 bor 16#4000000 bor (16#4 bsl 32),
    ok = gen_tcp:send(S, <<$N, Flags:64, 1:32, (byte_size(Device)):16, Device/binary>>),
    {ok, <<"sok">>} = gen_tcp:recv(S, 0, 10000),
    {ok, <<$N, _TheirFlags:64, Challenge:32, _Creation:32, NameLength:16, Name:NameLength/binary>>} = gen_tcp:recv(S, 0, 10000),
    Name = Server,
    Mine = rand:uniform(16#ffffffff),
    ok = gen_tcp:send(S, <<$r, Mine:32, (erlang:md5([Cookie | integer_to_list(Challenge)]))/binary>>),
    Expected = erlang:md5([Cookie | integer_to_list(Mine)]),
    {ok, <<$a, Expected/binary>>} = gen_tcp:recv(S, 0, 10000),
    {ok, S}.

pmap(F, Items, Parallel) ->
    pmap(F, Items, Parallel, 0, [], []).

pmap(_F, [], _Parallel, 0, _Running, Done) ->
    Done;
pmap(F, [Item | Rest], Parallel, Active, Running, Done) when Active < Parallel ->
    Self = self(),
    Ref = make_ref(),
    spawn(fun() -> Self ! {Ref, F(Item)} end),
    pmap(F, Rest, Parallel, Active + 1, [Ref | Running], Done);
pmap(F, Items, Parallel, Active, Running, Done) ->
    receive {Ref, Result} ->
        pmap(F, Items, Parallel, Active - 1, lists:delete(Ref, Running), [Result | Done])
    end.

wait_for(File) ->
    case filelib:is_file(File) of
        true -> ok;
        false -> timer:sleep(500), wait_for(File)
    end.
