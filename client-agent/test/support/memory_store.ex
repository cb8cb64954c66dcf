defmodule DalaOta.Test.MemoryStore do
  @moduledoc "An in-memory `DalaOta.Store` for tests, one Agent per store, keyed by a name."
  @behaviour DalaOta.Store

  @impl true
  def open(name) do
    case Agent.start(fn -> %{} end, name: via(name)) do
      {:ok, _} -> {:ok, name}
      {:error, {:already_started, _}} -> {:ok, name}
    end
  end

  @impl true
  def read(name, key) do
    case Agent.get(via(name), &Map.fetch(&1, key)) do
      {:ok, bytes} -> {:ok, bytes}
      :error -> {:error, :not_found}
    end
  end

  @impl true
  def write(name, key, data) do
    # A full disk: every write fails once `fail_writes/2` was called for this store.
    case :persistent_term.get({__MODULE__, :fail_writes, name}, nil) do
      nil -> Agent.update(via(name), &Map.put(&1, key, IO.iodata_to_binary(data)))
      reason -> {:error, {:write, key, reason}}
    end
  end

  @doc "Makes every later write to the store fail with `reason` (nil: writes work again)."
  def fail_writes(name, reason),
    do: :persistent_term.put({__MODULE__, :fail_writes, name}, reason)

  @impl true
  def delete(name, key), do: Agent.update(via(name), &Map.delete(&1, key))

  @impl true
  def list(name, prefix) do
    keys =
      Agent.get(via(name), &Map.keys/1)
      |> Enum.filter(&String.starts_with?(&1, prefix))
      |> Enum.map(fn key ->
        prefix <> (key |> String.replace_prefix(prefix, "") |> String.split("/") |> hd())
      end)
      |> Enum.uniq()
      |> Enum.sort()

    {:ok, keys}
  end

  @impl true
  def delete_prefix(name, prefix) do
    Agent.update(via(name), &Map.reject(&1, fn {k, _} -> String.starts_with?(k, prefix) end))
  end

  @doc "Every key, for assertions."
  def keys(name), do: Agent.get(via(name), &Map.keys/1) |> Enum.sort()

  defp via(name), do: {:global, {__MODULE__, name}}
end
