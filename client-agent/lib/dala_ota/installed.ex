defmodule DalaOta.Installed do
  @moduledoc """
  Bundles installed on the device, in a `DalaOta.Store`:

      current                  the pointer: which bundle boots, pending or confirmed
      <sequence>/<sha256>.beam each module, named by its hash
      <sequence>/bundle.etf    what the verified manifest said, for booting without re-verifying
      <sequence>/manifest.etf  the signed manifest itself

  A bundle is written completely (every module checked against its SHA-256 again, each file
  written durably) before the pointer names it, and the pointer is replaced in one atomic
  write, so a crash at any moment leaves the device on the old bundle or the new one.
  """

  alias DalaOta.{Manifest, Store}

  @typedoc "The `current` pointer."
  @type pointer :: %{
          format: 1,
          sequence: pos_integer,
          label: binary,
          status: :pending | :confirmed,
          mode: :hot | :next_start,
          previous: previous | nil,
          boots: non_neg_integer,
          early_crashes: non_neg_integer,
          started_at: integer | nil,
          survived: boolean,
          installed_at: integer
        }

  @typedoc "The bundle a pointer's bundle replaced, which a revert returns to."
  @type previous :: %{sequence: pos_integer, label: binary, status: :pending | :confirmed}

  @typedoc "What `bundle.etf` holds."
  @type meta :: %{
          format: 1,
          sequence: pos_integer,
          label: binary,
          bases: [Manifest.base()],
          modules: [Manifest.module_entry()]
        }

  # Atoms the pointer and bundle.etf hold; they exist once this module is loaded, which
  # reading them implies, so `[:safe]` decoding accepts them.
  @atoms [
    :pending,
    :confirmed,
    :previous,
    :boots,
    :early_crashes,
    :started_at,
    :survived,
    :installed_at,
    :mode
  ]

  @doc false
  def atoms, do: @atoms

  @doc "The pointer, or nil when the device runs its base."
  @spec pointer({module, Store.t()}) :: {:ok, pointer | nil} | {:error, term}
  def pointer({store, handle}) do
    case Store.read_term(store, handle, "current") do
      {:ok, %{format: 1, sequence: seq, status: status} = pointer}
      when is_integer(seq) and status in [:pending, :confirmed] ->
        {:ok, pointer}

      {:ok, _} ->
        {:error, {:corrupt, "current"}}

      {:error, :not_found} ->
        {:ok, nil}

      {:error, _} = error ->
        error
    end
  end

  @doc "Replaces the pointer atomically; nil returns the device to its base."
  @spec put_pointer({module, Store.t()}, pointer | nil) :: :ok | {:error, term}
  def put_pointer({store, handle}, nil), do: store.delete(handle, "current")

  def put_pointer({store, handle}, pointer),
    do: Store.write_term(store, handle, "current", pointer)

  @doc """
  A new pending pointer for an installed bundle, remembering `previous`, the bundle it replaces
  (nil when that is the base), which a revert returns to.
  """
  @spec new_pointer(Manifest.t(), :hot | :next_start, previous | nil, integer) :: pointer
  def new_pointer(%Manifest{} = manifest, mode, previous, now) do
    %{
      format: 1,
      sequence: manifest.sequence,
      label: manifest.label,
      status: :pending,
      mode: mode,
      previous: previous,
      boots: 0,
      early_crashes: 0,
      # A hot-loaded bundle runs from now, so an early death counts from now; a staged one
      # starts counting at the boot that loads it.
      started_at: if(mode == :hot, do: now, else: nil),
      survived: false,
      installed_at: now
    }
  end

  @doc """
  Writes a verified bundle. `fetched` holds downloaded modules by SHA-256; every other module
  is copied from the installed bundles `sources` (checked against its hash again).
  """
  @spec install({module, Store.t()}, module, Manifest.t(), binary, %{binary => binary}, [
          pos_integer
        ]) ::
          :ok | {:error, term}
  def install({store, handle} = st, crypto, %Manifest{} = manifest, envelope, fetched, sources) do
    seq = manifest.sequence

    result =
      Enum.reduce_while(manifest.modules, :ok, fn entry, :ok ->
        with {:ok, bytes} <- module_bytes(st, crypto, entry, fetched, sources),
             :ok <- store.write(handle, module_key(seq, entry.sha256), bytes) do
          {:cont, :ok}
        else
          {:error, _} = error -> {:halt, error}
        end
      end)

    meta = %{
      format: 1,
      sequence: seq,
      label: manifest.label,
      bases: manifest.bases,
      modules: manifest.modules
    }

    with :ok <- result,
         :ok <- store.write(handle, "#{seq}/manifest.etf", envelope),
         :ok <- Store.write_term(store, handle, "#{seq}/bundle.etf", meta) do
      :ok
    else
      {:error, _} = error ->
        remove(st, seq)
        error
    end
  end

  @doc "Deletes an installed bundle's files (not the pointer)."
  @spec remove({module, Store.t()}, pos_integer) :: :ok | {:error, term}
  def remove({store, handle}, seq), do: store.delete_prefix(handle, "#{seq}/")

  @doc "The bytes an installed bundle holds for a module's hash, unchecked."
  @spec read_module({module, Store.t()}, pos_integer, binary) ::
          {:ok, binary} | {:error, term}
  def read_module({store, handle}, seq, sha), do: store.read(handle, module_key(seq, sha))

  @doc "Whether an installed bundle holds a module with this hash."
  @spec has_module?({module, Store.t()}, pos_integer, binary) :: boolean
  def has_module?(st, seq, sha), do: match?({:ok, _}, read_module(st, seq, sha))

  @doc "An installed bundle's description."
  @spec meta({module, Store.t()}, pos_integer) :: {:ok, meta} | {:error, term}
  def meta({store, handle}, seq) do
    case Store.read_term(store, handle, "#{seq}/bundle.etf") do
      {:ok, %{format: 1, sequence: ^seq, modules: modules} = meta} when is_list(modules) ->
        {:ok, meta}

      {:ok, _} ->
        {:error, {:bundle_damaged, seq, :bundle_etf}}

      {:error, reason} ->
        {:error, {:bundle_damaged, seq, reason}}
    end
  end

  @doc """
  An installed bundle's modules, each checked against its manifest entry: size, and the BEAM
  MD5 that `beam_lib:md5/1` computes, which needs no `crypto`, so the device can boot its
  bundle even on a build whose `crypto` is a stub.
  """
  @spec modules({module, Store.t()}, pos_integer | meta) ::
          {:ok, meta, [{Manifest.module_entry(), binary}]} | {:error, term}
  def modules(st, seq) when is_integer(seq) do
    with {:ok, meta} <- meta(st, seq), do: modules(st, meta)
  end

  def modules(st, %{sequence: seq} = meta) do
    Enum.reduce_while(meta.modules, {:ok, meta, []}, fn entry, {:ok, meta, acc} ->
      with {:ok, bytes} <- read_module(st, seq, entry.sha256),
           true <- byte_size(bytes) == entry.size,
           {:ok, {_, md5}} <- :beam_lib.md5(bytes),
           true <- md5 == entry.beam_md5 do
        {:cont, {:ok, meta, [{entry, bytes} | acc]}}
      else
        _ -> {:halt, {:error, {:bundle_damaged, seq, entry.name}}}
      end
    end)
    |> case do
      {:ok, meta, acc} -> {:ok, meta, Enum.reverse(acc)}
      error -> error
    end
  end

  @doc """
  An installed bundle's modules (checked as `modules/2` checks them) as `DalaOta.Loader.load/2`
  takes them, without those whose exact code is loaded already: in embedded mode the base may
  hold identical modules. Boot and a hot load both load through this.
  """
  @spec load_items({module, Store.t()}, pos_integer | meta) ::
          {:ok, [DalaOta.Loader.item()]} | {:error, term}
  def load_items(st, seq_or_meta) do
    with {:ok, meta, modules} <- modules(st, seq_or_meta) do
      {:ok,
       for {entry, bytes} <- modules,
           module = String.to_atom(entry.name),
           not already_loaded?(module, entry.beam_md5) do
         {module, location(st, meta.sequence, entry.sha256), bytes}
       end}
    end
  end

  defp already_loaded?(module, md5) do
    :erlang.module_loaded(module) and module.module_info(:md5) == md5
  rescue
    _ -> false
  end

  @doc "Deletes every installed bundle except the sequences in `keep`."
  @spec prune({module, Store.t()}, [pos_integer]) :: :ok
  def prune({store, handle}, keep) do
    keep = Enum.map(keep, &"#{&1}/")

    case store.list(handle, "") do
      {:ok, keys} ->
        for key <- keys, Regex.match?(~r/\A[0-9]+\z/, key), (key <> "/") not in keep do
          store.delete_prefix(handle, key <> "/")
        end

        :ok

      _ ->
        :ok
    end
  end

  @doc "A label for `code:load_binary/3`: the real file where the store has one."
  @spec location({module, Store.t()}, pos_integer, binary) :: charlist
  def location({store, handle}, seq, sha) do
    key = module_key(seq, sha)

    if function_exported?(store, :location, 2),
      do: store.location(handle, key),
      else: String.to_charlist("dala_ota:" <> key)
  end

  defp module_bytes(st, crypto, entry, fetched, sources) do
    case Map.fetch(fetched, entry.sha256) do
      {:ok, bytes} ->
        check(crypto, entry, bytes)

      :error ->
        Enum.find_value(sources, {:error, {:module_unavailable, entry.name}}, fn seq ->
          with {:ok, bytes} <- read_module(st, seq, entry.sha256),
               {:ok, bytes} <- check(crypto, entry, bytes) do
            {:ok, bytes}
          else
            _ -> nil
          end
        end)
    end
  end

  defp check(crypto, entry, bytes) do
    if byte_size(bytes) == entry.size and crypto.equal(crypto.sha256(bytes), entry.sha256),
      do: {:ok, bytes},
      else: {:error, {:module_hash_mismatch, entry.name}}
  end

  defp module_key(seq, sha), do: "#{seq}/#{DalaOta.Crypto.hex(sha)}.beam"
end
