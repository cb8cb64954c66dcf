%% Test oracle for the Java .beam reader, run inside a real node.
%%   md5: prints "File<TAB>Module<TAB>MD5hex" for every .beam in the folder, by beam_lib:md5/1.
%%   load: loads every file under stripped/, prints "File<TAB>ok|Error<TAB>module_info(md5)".
%%   strip: writes beam_lib:strip/1 output (gzip-compressed) of every .beam to gz/.
-module(beam_oracle).
-export([md5/0, load/0, strip/0]).

md5() ->
    [begin
         {ok, {Mod, Md5}} = beam_lib:md5(F),
         io:format("~s\t~s\t~s~n", [F, Mod, hex(Md5)])
     end || F <- lists:sort(filelib:wildcard("*.beam"))],
    halt(0).

load() ->
    [begin
         {ok, Bin} = file:read_file(F),
         Mod = list_to_atom(filename:basename(F, ".beam")),
         Result = try
                      {ok, _} = beam_lib:chunks(Bin, [exports, imports, attributes]),
                      case code:load_binary(Mod, F, Bin) of
                          {module, Mod} -> {ok, hex(Mod:module_info(md5))};
                          {error, Why} -> {error, Why}
                      end
                  catch _:_ -> {error, unreadable}
                  end,
         case Result of
             {ok, Md5} -> io:format("~s\tok\t~s~n", [F, Md5]);
             {error, Reason} when is_atom(Reason) -> io:format("~s\t~s\t-~n", [F, Reason]);
             {error, _} -> io:format("~s\tfailed\t-~n", [F])
         end
     end || F <- lists:sort(filelib:wildcard("stripped/*.beam"))],
    halt(0).

strip() ->
    ok = filelib:ensure_dir("gz/x"),
    [begin
         {ok, Bin} = file:read_file(F),
         {ok, {_, Stripped}} = beam_lib:strip(Bin),
         ok = file:write_file(filename:join("gz", F), Stripped)
     end || F <- filelib:wildcard("*.beam")],
    halt(0).

hex(Bin) -> [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].
