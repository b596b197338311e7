import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { FilePathQuery, FileReadQuery } from './files.dto';
import { httpErrorFor } from './files.errors';
import { type FileChunk, type FileEntry, FilesService } from './files.service';

/** `/files/*` on the agent (reference §5.8), thin over FilesService; the `.json` names are Mesos's aliases the older web UI uses. */
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get(['browse', 'browse.json'])
  browse(@Query() query: FilePathQuery): Promise<FileEntry[]> {
    return this.files.browse(query.path).catch(rethrow);
  }

  @Get(['read', 'read.json'])
  read(@Query() query: FileReadQuery): Promise<FileChunk> {
    return this.files.read(query.path, query.offset, query.length).catch(rethrow);
  }

  @Get(['download', 'download.json'])
  @Header('Content-Type', 'application/octet-stream')
  async download(@Query() query: FilePathQuery): Promise<StreamableFile> {
    const file = await this.files.download(query.path).catch(rethrow);
    return new StreamableFile(file.stream, { length: file.size, disposition: `attachment; filename="${file.name.replace(/"/g, '')}"` });
  }
}

function rethrow(error: unknown): never {
  throw httpErrorFor(error);
}
