defmodule DalaOta.Store do
  @moduledoc """
  Durable storage for the agent, as a behaviour: small named blobs under relative keys such as
  `"current"`, `"state.etf"`, `"7/manifest.etf"` or `"events/00000042.etf"`.

  `write/3` must be atomic and durable: after it returns, a reader sees either the old bytes or
  the new ones, never a mix, even across a power cut. `DalaOta.Store.Disk` does this with a
  temporary file, fsync and rename. Tests use an in-memory implementation.
  """

  @type t :: term
  @type key :: binary

  @doc "Opens the store for a data directory."
  @callback open(Path.t()) :: {:ok, t} | {:error, term}
  @doc "Reads a blob."
  @callback read(t, key) :: {:ok, binary} | {:error, :not_found} | {:error, term}
  @doc "Writes a blob atomically and durably."
  @callback write(t, key, iodata) :: :ok | {:error, term}
  @doc "Deletes a blob; deleting a missing blob is `:ok`."
  @callback delete(t, key) :: :ok | {:error, term}
  @doc "The keys directly under a prefix ending in `/` (or at the top for `\"\"`), sorted."
  @callback list(t, prefix :: binary) :: {:ok, [key]} | {:error, term}
  @doc "Deletes every blob under a prefix ending in `/`."
  @callback delete_prefix(t, prefix :: binary) :: :ok | {:error, term}
  @doc """
  Where a blob lives, as a file name for `code:load_binary/3` (so `code:which/1` names the real
  file). Stores without files leave it out.
  """
  @callback location(t, key) :: charlist

  @optional_callbacks location: 2

  @doc "Reads a blob holding an Erlang term written by `write_term/4`, with `[:safe]` decoding."
  @spec read_term(module, t, key) :: {:ok, term} | {:error, :not_found} | {:error, term}
  def read_term(store, handle, key) do
    with {:ok, bytes} <- store.read(handle, key) do
      try do
        {:ok, :erlang.binary_to_term(bytes, [:safe])}
      rescue
        ArgumentError -> {:error, {:corrupt, key}}
      end
    end
  end

  @doc "Writes a term as a blob."
  @spec write_term(module, t, key, term) :: :ok | {:error, term}
  def write_term(store, handle, key, term),
    do: store.write(handle, key, :erlang.term_to_binary(term))
end
