defmodule DalaOta.Test.Paths do
  @moduledoc """
  Where tests find the repository's shared files and builds. Everything is derived from this
  file's own location, so the suite runs from any checkout (or a copy of one).
  """

  @doc "The repository root."
  @spec root() :: Path.t()
  def root, do: Path.expand("../../..", __DIR__)

  @doc "A file under test-vectors/."
  @spec vector(Path.t()) :: Path.t()
  def vector(relative), do: Path.join([root(), "test-vectors", relative])

  @doc "native/'s ebin, which holds dala_ota_crypto.beam after `make -C native`."
  @spec native_ebin() :: Path.t()
  def native_ebin, do: Path.join([root(), "native", "ebin"])

  @doc "This project's directory."
  @spec project() :: Path.t()
  def project, do: Path.expand("../..", __DIR__)
end
