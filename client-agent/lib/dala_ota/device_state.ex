defmodule DalaOta.DeviceState do
  @moduledoc """
  What the device remembers between runs, in `state.etf`: its install id, and everything
  that keeps an attacker from turning the clock back on it:

    * `last_issued_at` - the issue time of the newest check-in answer it accepted (freeze and
      replay of older answers);
    * `revocations` - the newest root-signed revocation list it verified, and the key ids it
      revokes;
    * `root_floor` - the newest root version a verified chain reached (rotation downgrade);
    * `highest_sequence` - the highest sequence it ever installed, so a rolled-back or replayed
      release is never installed again;
    * `base` - the base the numbers above belong to: a new base (a store update) starts over;
    * `boot_failure_reported` - the confirmed bundle whose failure to load at boot was reported
      already, so a failure that lasts is reported once.
  """

  alias DalaOta.Store

  require Logger

  @type t :: %{
          format: 1,
          install_id: binary | nil,
          last_issued_at: integer,
          revocations_version: integer,
          revocations: binary | nil,
          revoked: [binary],
          root_floor: non_neg_integer,
          highest_sequence: non_neg_integer,
          base: map | nil,
          last_rollback: map | nil,
          boot_failure_reported: pos_integer | nil
        }

  @doc "A device that remembers nothing yet."
  @spec empty() :: t
  def empty do
    %{
      format: 1,
      install_id: nil,
      last_issued_at: 0,
      revocations_version: -1,
      revocations: nil,
      revoked: [],
      root_floor: 0,
      highest_sequence: 0,
      base: nil,
      last_rollback: nil,
      boot_failure_reported: nil
    }
  end

  @doc "Reads the state; a missing file is an empty state."
  @spec read({module, Store.t()}) :: {:ok, t} | {:error, term}
  def read({store, handle}) do
    case Store.read_term(store, handle, "state.etf") do
      {:ok, %{format: 1} = state} -> {:ok, Map.merge(empty(), state)}
      {:ok, _} -> {:error, {:corrupt, "state.etf"}}
      {:error, :not_found} -> {:ok, empty()}
      {:error, _} = error -> error
    end
  end

  @doc "Writes the state atomically."
  @spec write({module, Store.t()}, t) :: :ok | {:error, term}
  def write({store, handle}, state), do: Store.write_term(store, handle, "state.etf", state)

  @doc """
  Writes the state where a failure (a full disk) must not stop the caller: it is logged, and
  the caller goes on with the state it holds.
  """
  @spec save({module, Store.t()}, t) :: :ok
  def save(st, state) do
    case write(st, state) do
      :ok -> :ok
      {:error, reason} -> Logger.error("dala_ota: cannot write state.etf: #{inspect(reason)}")
    end
  end

  @doc """
  The state for the device's current base. When the base changed (the app was updated
  through its store), what was learned for the old base no longer bounds the new one: old
  manifests do not list the new base, so they stay refused anyway.
  """
  @spec for_base(t, map) :: t
  def for_base(%{base: base} = state, base), do: state
  def for_base(%{base: nil} = state, base), do: %{state | base: base}

  def for_base(state, base) do
    %{state | base: base, highest_sequence: 0}
  end
end
