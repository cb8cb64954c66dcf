defmodule DalaOta.Test.DeviceFixture do
  @moduledoc """
  A device for unit tests: a valid agent configuration over a temporary data directory, the
  test-vector trust, and helpers that install signed bundles of real compiled modules the way
  the agent does.
  """

  alias DalaOta.{Installed, Manifest}
  alias DalaOta.Test.{Beams, Forge}

  @doc "Agent options for a device whose data lives in `dir`."
  def options(dir, extra \\ []) do
    trust = Forge.trust()

    Keyword.merge(
      [
        server_url: "http://ota.test",
        app: "com.example.test",
        channel_key: "ck_0123456789abcdef",
        platform: "android",
        otp_release: "25",
        base_fingerprint: Forge.base().fingerprint,
        root_keys: [trust.root.public],
        data_dir: dir,
        first_checkin: 3600,
        install_id: "install-0001"
      ],
      extra
    )
  end

  @doc "The store tuple of a data directory."
  def st(dir) do
    {:ok, handle} = DalaOta.Store.Disk.open(dir)
    {DalaOta.Store.Disk, handle}
  end

  @doc "Unique module names for one test, purged afterwards by `purge/1`."
  def modules(count) do
    n = System.unique_integer([:positive])
    for i <- 1..count, do: :"ota_fixture_#{n}_#{i}"
  end

  @doc "Purges modules a test loaded."
  def purge(modules) do
    for m <- modules do
      :code.purge(m)
      :code.delete(m)
      :code.purge(m)
    end
  end

  @doc "A signed release: `%{manifest, envelope, bundle, modules}` for `{module, version}` pairs."
  def release(sequence, versions, opts \\ []) do
    trust = Forge.trust()
    modules = for {m, v} <- versions, do: {Atom.to_string(m), Beams.versioned(m, v)}

    manifest =
      Forge.manifest(modules, Keyword.merge([sequence: sequence, app: "com.example.test"], opts))

    envelope = Forge.signed_manifest(trust, manifest)

    %{
      manifest: manifest,
      envelope: envelope,
      bundle: Forge.bundle(envelope, modules),
      modules: modules,
      trust: trust
    }
  end

  @doc "Installs a release in the data directory and points `current` at it."
  def install(dir_or_st, release, pointer_fields \\ %{}) do
    st = if is_tuple(dir_or_st), do: dir_or_st, else: st(dir_or_st)
    trust = release.trust

    ctx = %{
      crypto: DalaOta.Crypto.Otp,
      pinned: [trust.root.public],
      now: :os.system_time(:second)
    }

    {:ok, manifest, _} = Manifest.verify(release.envelope, ctx, %{floor: 0, now: ctx.now})
    fetched = Map.new(release.modules, fn {_, b} -> {:crypto.hash(:sha256, b), b} end)
    :ok = Installed.install(st, DalaOta.Crypto.Otp, manifest, release.envelope, fetched, [])
    pointer = Map.merge(Installed.new_pointer(manifest, :next_start, nil, 0), pointer_fields)
    :ok = Installed.put_pointer(st, pointer)
    pointer
  end
end
