defmodule DalaOta.BootTest do
  # Boot loads modules into the test VM.
  use ExUnit.Case, async: false

  alias DalaOta.{Boot, DeviceState, Events, Installed}
  alias DalaOta.Test.DeviceFixture, as: F
  alias DalaOta.Test.MemoryStore

  @moduletag :tmp_dir

  setup %{tmp_dir: dir} do
    mods = F.modules(2)
    on_exit(fn -> F.purge(mods) end)
    {:ok, dir: dir, mods: mods}
  end

  test "a device without a bundle runs its base", %{dir: dir} do
    assert {:ok, %{status: :base, sequence: 0}} = Boot.load(F.options(dir))
    assert {{:ok, %{status: :base}}, _} = Boot.last()
  end

  test "a confirmed bundle is loaded before the app runs", %{dir: dir, mods: [a, b]} do
    F.install(dir, F.release(3, [{a, 3}, {b, 3}]), %{status: :confirmed})
    assert {:ok, %{status: :confirmed, sequence: 3, label: "v3"}} = Boot.load(F.options(dir))
    assert a.version() == 3 and b.version() == 3
    # The loaded code names the real file in the data directory.
    assert a |> :code.which() |> to_string() |> String.starts_with?(Path.join(dir, "3"))
  end

  test "a staged bundle loads at the next start, which reports it applied", %{
    dir: dir,
    mods: [a, _]
  } do
    F.install(dir, F.release(4, [{a, 4}]))
    assert {:ok, %{status: :pending, sequence: 4}} = Boot.load(F.options(dir))
    assert a.version() == 4
    assert [{_, %{kind: :applied, sequence: 4}}] = Events.pending(F.st(dir))
    assert {:ok, %{boots: 1, survived: false}} = Installed.pointer(F.st(dir))
    # The second boot does not report it again.
    Boot.load(F.options(dir))
    assert Events.count(F.st(dir)) == 1
  end

  test "a bundle the app keeps dying with is reverted to the previous one, with the reason queued",
       %{dir: dir, mods: [a, b]} do
    F.install(dir, F.release(2, [{a, 2}, {b, 2}]), %{status: :confirmed})
    F.install(dir, F.release(3, [{a, 3}, {b, 3}]), %{previous: %{sequence: 2, label: "v2"}})
    opts = F.options(dir, max_early_crashes: 2, health_window: 30)

    # Two boots that never outlive the health window...
    {:ok, %{sequence: 3}} = Boot.load(opts)
    {:ok, %{sequence: 3}} = Boot.load(opts)
    assert a.version() == 3
    # ...and the third reverts.
    assert {:ok, %{sequence: 2, status: :confirmed, rolled_back: %{sequence: 3, reason: reason}}} =
             Boot.load(opts)

    assert reason =~ "died within 30 s of boot 2 times"
    assert a.version() == 2 and b.version() == 2

    assert [
             {_, %{kind: :applied, sequence: 3}},
             {_, %{kind: :rolled_back, sequence: 3, reason: ^reason}}
           ] = Events.pending(F.st(dir))

    assert {:ok, %{last_rollback: %{sequence: 3}}} = DeviceState.read(F.st(dir))
    refute File.exists?(Path.join(dir, "3"))
    assert {:ok, %{sequence: 2, status: :confirmed}} = Installed.pointer(F.st(dir))
  end

  test "a previous bundle that was still pending comes back pending, watched again", %{
    dir: dir,
    mods: [a, _]
  } do
    F.install(dir, F.release(2, [{a, 2}]))

    F.install(dir, F.release(3, [{a, 3}]), %{
      previous: %{sequence: 2, label: "v2", status: :pending}
    })

    opts = F.options(dir, max_boots: 1)
    {:ok, %{sequence: 3}} = Boot.load(opts)
    assert {:ok, %{sequence: 2, status: :pending, rolled_back: %{sequence: 3}}} = Boot.load(opts)

    assert {:ok, %{sequence: 2, status: :pending, boots: 1, previous: nil}} =
             Installed.pointer(F.st(dir))

    # It gets no more chances than any pending bundle: next, the base.
    assert {:ok, %{status: :base, rolled_back: %{sequence: 2}}} = Boot.load(opts)
  end

  test "a bundle never confirmed within max_boots is reverted, here to the base", %{
    dir: dir,
    mods: [a, _]
  } do
    F.install(dir, F.release(3, [{a, 3}]))
    opts = F.options(dir, max_boots: 2)

    for _ <- 1..2 do
      {:ok, %{sequence: 3}} = Boot.load(opts)
      # The app outlived its health window each time, but never confirmed.
      {:ok, p} = Installed.pointer(F.st(dir))
      Installed.put_pointer(F.st(dir), DalaOta.Health.survived(p))
    end

    assert {:ok,
            %{
              status: :base,
              rolled_back: %{reason: "rolled back: the bundle was not confirmed within 2 boots"}
            }} = Boot.load(opts)

    assert {:ok, nil} = Installed.pointer(F.st(dir))
  end

  test "a bundle built for another base is set aside after a store update", %{
    dir: dir,
    mods: [a, _]
  } do
    F.install(dir, F.release(3, [{a, 3}]), %{status: :confirmed})

    assert {:ok, %{status: :base, set_aside: {:base_changed, 3}}} =
             Boot.load(F.options(dir, base_fingerprint: "ffff"))

    refute :erlang.module_loaded(a)
  end

  test "a damaged pending bundle is reverted", %{dir: dir, mods: [a, _]} do
    F.install(dir, F.release(3, [{a, 3}]))
    [beam] = Path.wildcard(Path.join([dir, "3", "*.beam"]))
    File.write!(beam, F.release(9, [{a, 9}]).modules |> hd() |> elem(1))

    assert {:ok, %{status: :base, rolled_back: %{sequence: 3, reason: reason}}} =
             Boot.load(F.options(dir))

    assert reason =~ "bundle_damaged"
    refute :erlang.module_loaded(a)
  end

  test "an unreadable pointer names nothing to load", %{dir: dir} do
    File.write!(Path.join(dir, "current"), "garbage")

    assert {:ok, %{status: :base, set_aside: {:unreadable_pointer, _}}} =
             Boot.load(F.options(dir))

    refute File.exists?(Path.join(dir, "current"))
  end

  test "an invalid configuration loads nothing and says why", %{dir: dir} do
    assert {:error, {:invalid_config, problems}} =
             Boot.load(F.options(dir, server_url: "ftp://x"))

    assert {:server_url, _} = List.keyfind(problems, :server_url, 0)
  end

  describe "a confirmed bundle is never reverted on its own" do
    test "one that cannot be read at a boot runs the base this once, keeps pointer and files, and is reported once",
         %{dir: dir, mods: [a, _]} do
      pointer = F.install(dir, F.release(3, [{a, 3}]), %{status: :confirmed})
      meta = Path.join([dir, "3", "bundle.etf"])
      saved = File.read!(meta)
      # A read that fails at the OS level (a directory where the file was: EISDIR), as EIO or
      # iOS data protection before the first unlock would.
      File.rm!(meta)
      File.mkdir!(meta)

      for _ <- 1..2 do
        assert {:ok, %{status: :base, set_aside: {:confirmed_not_loaded, 3, _}}} =
                 Boot.load(F.options(dir))
      end

      refute :erlang.module_loaded(a)
      assert {:ok, ^pointer} = Installed.pointer(F.st(dir))
      assert [_ | _] = Path.wildcard(Path.join([dir, "3", "*.beam"]))
      assert [{_, %{kind: :failed, sequence: 3, reason: reason}}] = Events.pending(F.st(dir))
      assert reason =~ "confirmed bundle not loaded at boot"

      # Once the file reads again, the bundle runs as before.
      File.rmdir!(meta)
      File.write!(meta, saved)
      assert {:ok, %{status: :confirmed, sequence: 3}} = Boot.load(F.options(dir))
      assert a.version() == 3
    end

    test "a pointer that cannot be read at a boot is kept for the next", %{dir: dir, mods: [a, _]} do
      F.install(dir, F.release(3, [{a, 3}]), %{status: :confirmed})
      current = Path.join(dir, "current")
      saved = File.read!(current)
      File.rm!(current)
      File.mkdir!(current)

      assert {:ok, %{status: :base, set_aside: {:unreadable_pointer, _}}} =
               Boot.load(F.options(dir))

      File.rmdir!(current)
      File.write!(current, saved)
      assert {:ok, %{status: :confirmed, sequence: 3}} = Boot.load(F.options(dir))
    end
  end

  describe "a store that cannot be written (a full disk)" do
    setup %{tmp_dir: dir} do
      name = "boot-#{System.unique_integer([:positive])}"
      {:ok, _} = MemoryStore.open(name)
      on_exit(fn -> MemoryStore.fail_writes(name, nil) end)
      {:ok, name: name, opts: F.options(dir, store: MemoryStore, data_dir: name)}
    end

    test "boots a confirmed bundle: its pointer is not rewritten", %{
      name: name,
      opts: opts,
      mods: [a, _]
    } do
      F.install({MemoryStore, name}, F.release(3, [{a, 3}]), %{status: :confirmed})
      MemoryStore.fail_writes(name, :enospc)
      assert {:ok, %{status: :confirmed, sequence: 3}} = Boot.load(opts)
      assert a.version() == 3
    end

    test "runs the base instead of a pending bundle whose boot it cannot count, and raises nothing",
         %{name: name, opts: opts, mods: [a, _]} do
      pointer = F.install({MemoryStore, name}, F.release(3, [{a, 3}]))
      MemoryStore.fail_writes(name, :enospc)

      assert {:ok, %{status: :base, set_aside: {:pointer_not_written, _}}} = Boot.load(opts)
      refute :erlang.module_loaded(a)
      assert {:ok, ^pointer} = Installed.pointer({MemoryStore, name})
    end
  end
end
