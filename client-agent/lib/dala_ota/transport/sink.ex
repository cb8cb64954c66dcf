defmodule DalaOta.Transport.Sink do
  @moduledoc """
  Where a transport puts a response body while it reads it: in memory, or in a download's file.
  Either way the bytes are counted as they arrive, so the transport holds the body cap while
  reading rather than after.
  """

  @type t :: {:memory, iodata, non_neg_integer} | {:file, :file.io_device(), non_neg_integer}

  @doc "A sink that keeps the body in memory."
  @spec memory() :: t
  def memory, do: {:memory, [], 0}

  @doc """
  Runs `fun` with a sink that writes to `path` (truncated first) and closes the file after. A
  file that cannot be opened or written is `{:error, {:download_file, reason}}`.
  """
  @spec to_file(Path.t(), (t -> result)) :: result | {:error, {:download_file, term}}
        when result: term
  def to_file(path, fun) do
    case File.open(path, [:write, :binary, :raw]) do
      {:ok, io} ->
        try do
          fun.({:file, io, 0})
        catch
          # Thrown by put/2, from deep in a transport's read loop.
          {:download_file, reason} -> {:error, {:download_file, reason}}
        after
          File.close(io)
        end

      {:error, reason} ->
        {:error, {:download_file, reason}}
    end
  end

  @doc "Adds bytes to the body."
  @spec put(t, binary) :: t
  def put({:memory, acc, n}, data), do: {:memory, [acc | data], n + byte_size(data)}

  def put({:file, io, n}, data) do
    case :file.write(io, data) do
      :ok -> {:file, io, n + byte_size(data)}
      {:error, reason} -> throw({:download_file, reason})
    end
  end

  @doc "How many bytes the body holds so far."
  @spec size(t) :: non_neg_integer
  def size({_, _, n}), do: n

  @doc "The body: its bytes when in memory, how many bytes were written when in a file."
  @spec contents(t) :: binary | non_neg_integer
  def contents({:memory, acc, _}), do: IO.iodata_to_binary(acc)
  def contents({:file, _io, n}), do: n

  @doc "Makes a file's bytes durable; nothing to do in memory."
  @spec sync(t) :: :ok | {:error, term}
  def sync({:memory, _, _}), do: :ok
  def sync({:file, io, _}), do: :file.sync(io)
end
