%% Derives each session cookie in test-vectors/session/cookie-derivation.tsv the way the agent
%% does, with the node's own crypto, and prints "name<TAB>cookie" (or "rejected") per row.
-module(cookie_oracle).
-export([main/1]).

main([File]) ->
    {ok, Bin} = file:read_file(File),
    Lines = [L || L <- binary:split(Bin, <<"\n">>, [global]), L =/= <<>>, binary:first(L) =/= $#],
    lists:foreach(fun(Line) -> io:format("~s\t~s~n", [row_name(Line), derive(Line)]) end, Lines),
    halt(0).

row_name(Line) -> hd(binary:split(Line, <<"\t">>)).

derive(Line) ->
    [_Name, DeviceSecret, DevicePublic, _ServerSecret, ServerPublic, SessionId, InstallId, DeviceNode,
     ServerNode, ExpiresAt | _] = binary:split(Line, <<"\t">>, [global]),
    %% The server's side agrees with the device's public key, as the server does.
    ServerSecret = lists:nth(4, binary:split(Line, <<"\t">>, [global])),
    _ = DeviceSecret,
    case agree(unhex(ServerSecret), unhex(DevicePublic)) of
        rejected -> <<"rejected">>;
        Shared ->
            Transcript = term_to_binary({<<"dala-ota/session/v1">>, InstallId, unhex(DevicePublic),
                                         unhex(ServerPublic), unhex(SessionId), DeviceNode, ServerNode,
                                         binary_to_integer(ExpiresAt)}),
            Hash = crypto:hash(sha256, Transcript),
            Info = <<"dala-ota/v1/dist-cookie", 0, Hash/binary>>,
            Prk = crypto:mac(hmac, sha256, unhex(SessionId), Shared),
            Okm = crypto:mac(hmac, sha256, Prk, <<Info/binary, 1>>),
            hex(Okm)
    end.

agree(Secret, Public) ->
    try crypto:compute_key(ecdh, Public, Secret, x25519) of
        <<0:256>> -> rejected;
        Shared -> Shared
    catch
        error:_ -> rejected
    end.

unhex(Hex) -> binary:decode_hex(Hex).

hex(Bin) -> string:lowercase(binary:encode_hex(Bin)).
