defmodule DalaOta.Store.Disk do
  @moduledoc """
  `DalaOta.Store` on the file system, under the app's data directory.

  A write goes to a temporary file beside its target, is flushed with fsync, and is then renamed
  over the target. POSIX rename is atomic, so a crash leaves either the old file or the new
  one. Erlang cannot open a directory to fsync it; the rename's durability then rests on the
  file system's ordered metadata journal (ext4, f2fs and APFS all order it), which is also what
  SQLite relies on with `synchronous=NORMAL`.
  """
  @behaviour DalaOta.Store

  defstruct [:dir]

  @type t :: %__MODULE__{dir: Path.t()}

  @impl true
  def open(dir) do
    case File.mkdir_p(dir) do
      :ok -> {:ok, %__MODULE__{dir: Path.expand(dir)}}
      {:error, reason} -> {:error, {:data_dir, reason}}
    end
  end

  @impl true
  def read(%__MODULE__{} = store, key) do
    case File.read(path(store, key)) do
      {:ok, bytes} -> {:ok, bytes}
      {:error, :enoent} -> {:error, :not_found}
      {:error, reason} -> {:error, {:read, key, reason}}
    end
  end

  @impl true
  def write(%__MODULE__{} = store, key, data) do
    target = path(store, key)
    temp = target <> ".tmp-" <> Integer.to_string(:erlang.unique_integer([:positive]))

    with :ok <- File.mkdir_p(Path.dirname(target)),
         :ok <- write_synced(temp, data),
         :ok <- :file.rename(temp, target) do
      :ok
    else
      {:error, reason} ->
        File.rm(temp)
        {:error, {:write, key, reason}}
    end
  end

  @impl true
  def delete(%__MODULE__{} = store, key) do
    case File.rm(path(store, key)) do
      :ok -> :ok
      {:error, :enoent} -> :ok
      {:error, reason} -> {:error, {:delete, key, reason}}
    end
  end

  @impl true
  def list(%__MODULE__{} = store, prefix) do
    case File.ls(path(store, prefix)) do
      {:ok, names} ->
        {:ok,
         names
         |> Enum.reject(&String.contains?(&1, ".tmp-"))
         |> Enum.sort()
         |> Enum.map(&(prefix <> &1))}

      {:error, :enoent} ->
        {:ok, []}

      {:error, reason} ->
        {:error, {:list, prefix, reason}}
    end
  end

  @impl true
  def delete_prefix(%__MODULE__{} = store, prefix) do
    case File.rm_rf(path(store, prefix)) do
      {:ok, _} -> :ok
      {:error, reason, _} -> {:error, {:delete, prefix, reason}}
    end
  end

  @impl true
  def location(%__MODULE__{} = store, key), do: String.to_charlist(path(store, key))

  # Keys come from this application only; refusing anything that could leave the data
  # directory is a second line of defence.
  defp path(%__MODULE__{dir: dir}, key) do
    if String.contains?(key, "..") or String.starts_with?(key, "/") do
      raise ArgumentError,
            "store keys are relative paths inside the data directory: #{inspect(key)}"
    end

    Path.join(dir, key)
  end

  defp write_synced(path, data) do
    case :file.open(path, [:write, :raw, :binary]) do
      {:ok, io} ->
        result =
          with :ok <- :file.write(io, data) do
            :file.sync(io)
          end

        :file.close(io)
        result

      error ->
        error
    end
  end
end
