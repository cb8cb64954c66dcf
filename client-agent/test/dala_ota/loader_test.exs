defmodule DalaOta.LoaderTest do
  # Loads and purges modules in the test VM.
  use ExUnit.Case, async: false

  alias DalaOta.Loader
  alias DalaOta.Test.Beams

  setup do
    n = System.unique_integer([:positive])
    mods = for i <- 1..3, do: :"ota_loader_test_#{n}_#{i}"

    on_exit(fn ->
      for m <- mods do
        :code.purge(m)
        :code.delete(m)
        :code.purge(m)
      end
    end)

    {:ok, mods: mods}
  end

  defp item(module, bin), do: {module, ~c"test:#{module}", bin}

  test "loads every module", %{mods: [a, b, _]} do
    assert Loader.load([item(a, Beams.versioned(a, 1)), item(b, Beams.versioned(b, 1))]) == :ok
    assert a.version() == 1 and b.version() == 1
    assert Loader.load([item(a, Beams.versioned(a, 2))]) == :ok
    assert a.version() == 2
  end

  test "the agent's own modules and OTP's or Elixir's are never replaced", %{mods: [a, _, _]} do
    # Compiled under the reserved names, so nothing but the name is wrong with them.
    for reserved <- [DalaOta.Trust, :dala_ota_crypto, Mix.Tasks.Xref] do
      bin = Beams.versioned(reserved, 99)

      assert Loader.load([item(a, Beams.versioned(a, 1)), item(reserved, bin)]) ==
               {:error, {:reserved_module, reserved}}
    end

    refute :erlang.module_loaded(a)
    refute function_exported?(DalaOta.Trust, :version, 0)
  end

  test "a binary the loader refuses loads nothing", %{mods: [a, b, c]} do
    :ok = Loader.load([item(a, Beams.versioned(a, 1))])
    bad = [item(a, Beams.versioned(a, 2)), item(b, Beams.versioned(b, 2)), item(c, "not a beam")]
    assert {:error, {:bad_module, ^c, _}} = Loader.load(bad)
    assert a.version() == 1
    refute :erlang.module_loaded(b)
  end

  test "a module whose name does not match its bytes loads nothing", %{mods: [a, b, _]} do
    assert {:error, {:bad_module, ^a, _}} = Loader.load([item(a, Beams.versioned(b, 2))])
    refute :erlang.module_loaded(a)
  end

  test "a failure while loading restores every module loaded before it", %{mods: [a, b, c]} do
    v1 = Beams.versioned(a, 1)
    :ok = Loader.load([item(a, v1)])
    # on_load runs at load time, after the loader accepted the bytes: the late failure.
    failing =
      Beams.compile(
        "-module('#{c}').\n-on_load(init/0).\n-export([version/0]).\ninit() -> refuse.\nversion() -> 2.\n"
      )

    previous = fn
      ^a -> {:ok, ~c"v1", v1}
      _ -> :none
    end

    items = [item(a, Beams.versioned(a, 2)), item(b, Beams.versioned(b, 2)), item(c, failing)]
    assert {:error, {:load_failed, ^c, _}} = Loader.load(items, previous: previous)
    assert a.version() == 1
    refute :erlang.module_loaded(b)
    refute :erlang.module_loaded(c)
  end

  test "OTP's sticky modules are refused" do
    assert {:error, {:sticky_module, :lists}} =
             Loader.load([item(:lists, Beams.versioned(:lists, 1))])
  end

  test "when a process still runs code that would be purged, nothing is loaded", %{
    mods: [a, b, _]
  } do
    loop = {"loop/0", "loop() -> receive stop -> ok end."}
    :ok = Loader.load([item(a, Beams.versioned(a, 1, loop))])
    pid = spawn(fn -> a.loop() end)
    # v2 makes v1 old code that the process still runs; v3 would have to purge it.
    :ok = Loader.load([item(a, Beams.versioned(a, 2, loop))])

    assert {:error, {:old_code_in_use, [^a]}} =
             Loader.load([item(b, Beams.versioned(b, 3)), item(a, Beams.versioned(a, 3, loop))])

    assert a.version() == 2
    refute :erlang.module_loaded(b)
    send(pid, :stop)
  end

  describe "code_change for named processes" do
    defp server(name, version, code_change) do
      Beams.compile("""
      -module('#{name}').
      -behaviour(gen_server).
      -vsn(#{version}).
      -export([init/1, handle_call/3, handle_cast/2, code_change/3]).
      init(S) -> {ok, S}.
      handle_call(state, _, S) -> {reply, {#{version}, S}, S}.
      handle_cast(_, S) -> {noreply, S}.
      #{code_change}
      """)
    end

    test "the process is suspended, changes its state with the new code, and resumes", %{
      mods: [a, _, _]
    } do
      :ok = Loader.load([item(a, server(a, 1, "code_change(_, S, _) -> {ok, S}."))])
      {:ok, pid} = :gen_server.start({:local, a}, a, 41, [])
      v2 = server(a, 2, "code_change([1], S, []) -> {ok, \#{from => 1, count => S}}.")
      assert Loader.load([item(a, v2)], code_change: [{a, a}]) == :ok
      assert :gen_server.call(a, :state) == {2, %{from: 1, count: 41}}
      assert Process.whereis(a) == pid
      :gen_server.stop(a)
    end

    test "a failing code_change restores the previous code and resumes the process", %{
      mods: [a, _, _]
    } do
      v1 = server(a, 1, "code_change(_, S, _) -> {ok, S}.")
      :ok = Loader.load([item(a, v1)])
      {:ok, _} = :gen_server.start({:local, a}, a, 41, [])
      v2 = server(a, 2, "code_change(_, _, _) -> {error, nope}.")
      previous = fn ^a -> {:ok, ~c"v1", v1} end

      assert {:error, {:code_change_failed, ^a, _}} =
               Loader.load([item(a, v2)], code_change: [{a, a}], previous: previous)

      assert :gen_server.call(a, :state) == {1, 41}
      :gen_server.stop(a)
    end
  end
end
